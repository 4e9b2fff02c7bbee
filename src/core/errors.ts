/** One typed application error with a stable code; the error middleware turns it into the JSON body. */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  MALFORMED_REQUEST: 400,
  INVALID_ENCODING: 400,
  INVALID_MULTIPART: 400,
  INVALID_LINK: 400,
  INVALID_ID_NUMBER: 400,
  INVALID_CHECKIN_CODE: 400,
  /** 注销: the confirmation phrase typed does not match */
  CONFIRMATION_MISMATCH: 400,
  TOO_FAR_FROM_ACTIVITY: 400,
  INVALID_FILE: 415,
  UNAUTHENTICATED: 401,
  BAD_CREDENTIALS: 401,
  FORBIDDEN: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  LAST_ADMIN: 409,
  NOT_A_VOLUNTEER: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  ALREADY_RESPONDED: 409,
  SURVEY_CLOSED: 409,
  SURVEY_LOCKED: 409,
  /** a sampled household already has its completed interview (入户调查) */
  HOUSEHOLD_DONE: 409,
  ALREADY_ANSWERED: 409,
  ALREADY_REGISTERED: 409,
  ALREADY_SIGNED_UP: 409,
  SIGNUP_CLOSED: 409,
  NOT_CONFIRMED: 409,
  CHECKIN_CLOSED: 409,
  ALREADY_CHECKED_IN: 409,
  NOT_CHECKED_IN: 409,
  ALREADY_CHECKED_OUT: 409,
  /** office edits an activity that has started or ended in a way that would rewrite what happened */
  ACTIVITY_LOCKED: 409,
  CAPACITY_BELOW_SIGNUPS: 409,
  INVALID_TRANSITION: 409,
  LINK_EXPIRED: 410,
  LINK_USED: 410,
  IDEMPOTENCY_IN_PROGRESS: 409,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNSUPPORTED_ENCODING: 415,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL: 500,
  DB_UNAVAILABLE: 503,
  /** a feature whose credentials are not configured on this deployment (e.g. WeChat login) */
  NOT_CONFIGURED: 503,
  UPSTREAM_FAILED: 502,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.status = errorStatus[code];
  }
}

export const notFound = (what = '资源') => new AppError('NOT_FOUND', `${what}不存在`);
export const forbidden = (message = '无权进行此操作') => new AppError('FORBIDDEN', message);
export const unauthenticated = (message = '请先登录') => new AppError('UNAUTHENTICATED', message);
export const conflict = (message: string, code: ErrorCode = 'CONFLICT') => new AppError(code, message);
export const invalid = (message: string, details?: unknown) => new AppError('VALIDATION_FAILED', message, details);

/** MongoDB duplicate key (E11000): how every "must never double" guard reports itself. */
export function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: { code?: number }[] } | null;
  return e?.code === 11000 || Boolean(e?.writeErrors?.length && e.writeErrors.every((w) => w.code === 11000));
}
