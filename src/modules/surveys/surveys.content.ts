import crypto from 'node:crypto';
import { ContentError, loadContentFolder } from '../../core/content';
import { AppError } from '../../core/errors';
import { logger } from '../../core/logger';
import { now } from '../../core/time';
import { responseCount } from './surveys.counters';
import { Survey } from './surveys.model';
import { surveyInputSchema, type SurveyInput } from './surveys.schema';
import { createSurvey, definitionDoc, findSurvey, isConsoleOwned } from './surveys.service';

const hashOf = (def: SurveyInput) => crypto.createHash('sha256').update(JSON.stringify(def)).digest('hex').slice(0, 32);

/** Definition errors found beyond the schema name the file too. */
function checked(file: string, def: SurveyInput): ReturnType<typeof definitionDoc> {
  try {
    return definitionDoc(def);
  } catch (err) {
    if (err instanceof AppError) throw new ContentError(`content/${file}: ${err.message}`);
    throw err;
  }
}

/**
 * Upserts content/surveys/*.yaml. Files seed, the console wins: a survey created or edited in the
 * console is never written by a file again (one info line says the file's version was skipped).
 * Idempotent: a file whose content was already applied is skipped. A changed file replaces the
 * definition only while the survey has no responses; after that only its window, targets and
 * texts are taken (the questions answered stay as they were answered). Nothing is deleted.
 */
export async function syncSurveys(): Promise<string> {
  const files = loadContentFolder('surveys', surveyInputSchema);
  const seen = new Map<string, string>();
  let created = 0;
  let updated = 0;
  let skipped = 0;
  for (const [file, def] of files) {
    if (seen.has(def.id)) throw new ContentError(`content/${file}: id: 问卷编号 ${def.id} 与 content/${seen.get(def.id)} 重复`);
    seen.set(def.id, file);
    const doc = checked(file, def);
    const hash = hashOf(def);
    const existing = await findSurvey(def.id);
    if (!existing) {
      await createSurvey(def, 'content', hash);
      created++;
      continue;
    }
    if (existing.contentHash === hash) continue;
    if (isConsoleOwned(existing)) {
      logger.info({ survey: def.id, file }, "survey was created or edited in the console: the file's version was skipped");
      skipped++;
      continue;
    }
    const locked = (await responseCount(def.id)) > 0;
    const { title, anonymous, questions, ...rest } = doc;
    if (locked) logger.warn({ survey: def.id, file }, 'survey has responses: only its window, targets and texts were updated from content');
    const set = locked ? rest : { ...rest, title, anonymous, questions };
    await Survey.updateOne({ _id: def.id }, { $set: { ...set, contentHash: hash, updatedAt: now() }, $inc: { rev: locked ? 0 : 1 } });
    updated++;
  }
  return `surveys: ${files.length} (${created} new, ${updated} updated${skipped ? `, ${skipped} kept as edited in the console` : ''})`;
}
