/**
 * Resident identity card numbers (居民身份证号码, GB 11643-1999): 6-digit address code, 8-digit
 * birth date, 3-digit sequence and an ISO 7064 MOD 11-2 check character (0-9 or X).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export type IdNumberProblem = 'format' | 'birthDate' | 'checkDigit';

export interface IdNumberCheck {
  ok: boolean;
  /** the number with a lower-case x as X, spaces removed */
  normalized: string;
  problem?: IdNumberProblem;
  birthDate?: string;
  /** from the sequence code: odd = male */
  gender?: 'male' | 'female';
}

export function checkDigitOf(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/** A real calendar date between 1900-01-01 and `today` (YYYY-MM-DD in local time). */
function validBirthDate(yyyymmdd: string, today: string): string | undefined {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < 1900 || m < 1 || m > 12 || d < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > daysInMonth) return undefined;
  const iso = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  return iso <= today ? iso : undefined;
}

/** Validates an 18-digit ID number: format, a real birth date not in the future, the check digit. */
export function checkIdNumber(raw: string, today: string): IdNumberCheck {
  const normalized = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[1-9]\d{16}[\dX]$/.test(normalized)) return { ok: false, normalized, problem: 'format' };
  const birthDate = validBirthDate(normalized.slice(6, 14), today);
  if (!birthDate) return { ok: false, normalized, problem: 'birthDate' };
  if (checkDigitOf(normalized.slice(0, 17)) !== normalized[17]) return { ok: false, normalized, problem: 'checkDigit' };
  return { ok: true, normalized, birthDate, gender: Number(normalized[16]) % 2 === 1 ? 'male' : 'female' };
}

export const idNumberProblemText: Record<IdNumberProblem, string> = {
  format: '身份证号码应为 18 位，最后一位可以是数字或 X',
  birthDate: '身份证号码中的出生日期无效',
  checkDigit: '身份证号码校验位不正确，请核对后重新输入',
};
