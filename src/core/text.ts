import { z } from 'zod';

/**
 * Text hygiene for every free-text field people or content authors give us (HTTP, bot, content
 * YAML). The policy is to strip, not refuse: the characters below are invisible, so a resident who
 * pasted a description out of WeChat or a document (zero-width spaces, a BOM, bidi marks) could not
 * see, let alone fix, what a refusal would complain about. Stripping changes nothing a reader sees,
 * except the reordering a bidi override would have caused, which is the point. See docs/input.md.
 */

// C0 controls except \t and \n (\r is normalised first), DEL, and C1 controls (NEL U+0085 included).
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's job
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// Bidi embeddings, overrides, isolates and marks (incl. the Arabic letter mark), and zero-width
// characters other than ZWJ: they reorder or hide text without showing themselves.
const INVISIBLE = /[\u061C\u200B\u200C\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;
// ZWJ glues emoji sequences (👨‍👩‍👧, 🏳️‍🌈) and is kept there; anywhere else it only hides things.
// eslint-disable-next-line no-misleading-character-class -- the class is an optional modifier after the emoji, on purpose
const STRAY_ZWJ = /(?<!\p{Extended_Pictographic}[\uFE0F\u{1F3FB}-\u{1F3FF}]?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;
// Unpaired surrogates (JSON "\ud800") and the non-characters U+FFFE/U+FFFF cannot be stored as
// UTF-8 nor written into XML.
const UNWRITABLE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g;

/** Cleans free text: newlines normalised to \n, hostile characters removed, trimmed. */
export function cleanText(s: string): string {
  return s
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(CONTROLS, '')
    .replace(INVISIBLE, '')
    .replace(STRAY_ZWJ, '')
    .replace(UNWRITABLE, '')
    .trim();
}

/** Cleans a one-line value (name, title, nickname): line breaks and tabs become one space. */
export function cleanLine(s: string): string {
  return cleanText(s).replace(/[\t\n]+/g, ' ');
}

/**
 * A string schema that cleans with `clean`, limited to `max` characters when given. The limit holds
 * for what the client sent as well as for the cleaned text: the published schema says `maxLength`,
 * so a value over it is refused even when stripping its invisible characters would bring it under
 * (the raw check aborts, so the field gets one message, not two).
 */
function cleaned(clean: (s: string) => string, max?: number, message?: string) {
  if (max === undefined) return z.string().overwrite(clean);
  return z.string().max(max, { message, abort: true }).overwrite(clean).max(max, message);
}

/**
 * Free text over several lines (descriptions, answers, notices). Chain `min` and refinements after
 * it: they then count the cleaned text, so a value made only of invisible characters fails
 * `.min(1)` by name. Give the maximum here, not as a chained `.max`.
 */
export const text = (max?: number, message?: string) => cleaned(cleanText, max, message);

/** Free text on one line (names, titles, nicknames, addresses); the maximum as for `text`. */
export const line = (max?: number, message?: string) => cleaned(cleanLine, max, message);
