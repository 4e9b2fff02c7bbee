import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { config } from '../config';

export class ContentError extends Error {}

export function contentDir(): string {
  return process.env.WM_CONTENT_DIR ? path.resolve(process.env.WM_CONTENT_DIR) : path.join(config().rootDir, 'content');
}

/**
 * Reads one YAML file of content/ and validates it. A bad file names the file, the path inside it
 * and the problem: `content/regions.yaml: districts.0.streets.1.population: 需要数字`.
 */
export function loadContentFile<S extends z.ZodType>(relative: string, schema: S): z.infer<S> {
  const file = path.join(contentDir(), relative);
  const shown = path.relative(process.cwd(), file) || file;
  let raw: unknown;
  try {
    const doc = YAML.parseDocument(fs.readFileSync(file, 'utf8'), { prettyErrors: true });
    if (doc.errors.length) throw new Error(doc.errors[0]!.message);
    raw = doc.toJS();
  } catch (err) {
    throw new ContentError(`${shown}: YAML 无法解析 / cannot parse: ${(err as Error).message.split('\n')[0]}`);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ContentError(`${shown}: ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}

/** Every YAML file in a folder of content/, sorted, as [relativePath, parsed]. */
export function loadContentFolder<S extends z.ZodType>(relativeDir: string, schema: S): Array<[string, z.infer<S>]> {
  const dir = path.join(contentDir(), relativeDir);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => [path.join(relativeDir, f), loadContentFile(path.join(relativeDir, f), schema)] as [string, z.infer<S>]);
}

export function contentFileExists(relative: string): boolean {
  return fs.existsSync(path.join(contentDir(), relative));
}
