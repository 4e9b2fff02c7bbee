import { maskIdNumber, maskPhone } from '../../core/pii';

/** Field names whose values are never kept, and those kept masked. */
const SECRET = /pass(word)?|secret|token|otp|captcha/i;
const PHONE = /phone|mobile|tel/i;
const ID_NUMBER = /id_?(card|number|no)|身份证/i;
const MAX_TEXT = 120;
const MAX_FIELDS = 40;

// Values that look like a mainland mobile or an ID number, whatever the field is called.
const PHONE_VALUE = /^(\+?86)?1\d{10}$/;
const ID_VALUE = /^\d{17}[\dXx]$/;

function maskValue(key: string, value: unknown, depth: number): unknown {
  if (SECRET.test(key)) return '（已隐藏）';
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (PHONE.test(key) || PHONE_VALUE.test(value)) return maskPhone(value);
    if (ID_NUMBER.test(key) || ID_VALUE.test(value)) return maskIdNumber(value);
    return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…（共 ${value.length} 字）` : value;
  }
  if (Array.isArray(value)) return depth > 1 ? `[${value.length} 项]` : value.slice(0, 10).map((v) => maskValue(key, v, depth + 1));
  if (typeof value === 'object') return depth > 1 ? '{…}' : maskFields(value as Record<string, unknown>, depth + 1);
  return undefined;
}

/**
 * The request body as the audit keeps it: field names and values, two levels deep, long texts
 * cut, phone and ID numbers masked, passwords and tokens replaced (never stored).
 */
export function maskFields(body: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body).slice(0, MAX_FIELDS)) {
    const masked = maskValue(k, v, depth);
    if (masked !== undefined) out[k] = masked;
  }
  return out;
}
