import fs from 'node:fs';

/**
 * Replaces the text between `<!-- <name>:start -->` and `<!-- <name>:end -->` in a Markdown file, so
 * a measurement run can refresh its figures in the docs without touching the prose around them.
 */
export function replaceBlock(file: string, name: string, content: string): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const text = fs.readFileSync(file, 'utf8');
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${file} has no ${start} … ${end} block`);
  fs.writeFileSync(file, text.slice(0, a + start.length) + '\n' + content.trim() + '\n' + text.slice(b));
}
