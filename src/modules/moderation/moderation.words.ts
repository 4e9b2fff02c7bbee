import fs from 'node:fs';
import path from 'node:path';
import { contentDir } from '../../core/content';
import { logger } from '../../core/logger';

/** The list's file under content/. */
export const WORDS_FILE = 'moderation/sensitive-words.txt';

interface Rule {
  category: string;
  word?: string;
  pattern?: RegExp;
}

/** What the floor found: the category (辱骂, 广告…) and the word or pattern that matched. */
export interface WordHit {
  category: string;
  match: string;
}

let rules: Rule[] | undefined;

/** Full-width letters and digits to half-width, lower case, no spaces or punctuation: 傻 Ｂ → 傻b. */
export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

function parseLine(line: string): Rule | undefined {
  const trimmed = line.trim();
  if (!trimmed || trimmed.startsWith('#')) return undefined;
  const m = trimmed.match(/^([^:：/]{1,12})[:：]\s*(.+)$/);
  const category = m ? m[1]!.trim() : '敏感词';
  const body = m ? m[2]!.trim() : trimmed;
  const re = body.match(/^\/(.+)\/([a-z]*)$/);
  if (re) return { category, pattern: new RegExp(re[1]!, re[2]!.replace(/g/g, '')) };
  const word = normalize(body);
  return word ? { category, word } : undefined;
}

/** Reads the list once (a missing file is an empty list, with one warning). */
export function loadWords(): Rule[] {
  if (rules) return rules;
  const file = path.join(contentDir(), WORDS_FILE);
  if (!fs.existsSync(file)) {
    logger.warn({ file }, 'sensitive-word list missing: only WeChat checks content');
    rules = [];
    return rules;
  }
  rules = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((l) => parseLine(l) ?? []);
  return rules;
}

/** Forgets the loaded list (tests, a reload after editing the file). */
export function reloadWords(): void {
  rules = undefined;
}

/** The first rule the text breaks, or undefined: words against the normalized text, patterns against the original. */
export function findSensitive(text: string): WordHit | undefined {
  const plain = normalize(text);
  for (const r of loadWords()) {
    if (r.word && plain.includes(r.word)) return { category: r.category, match: r.word };
    const m = r.pattern?.exec(text);
    if (m) return { category: r.category, match: m[0] };
  }
  return undefined;
}
