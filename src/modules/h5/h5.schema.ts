import { z } from 'zod';

/** A hash route inside the H5 app: one leading slash, never `//host` (no open redirects). */
export const nextPath = z
  .string()
  .max(500)
  .optional()
  .transform((v) => (v && v.startsWith('/') && !v.startsWith('//') && !v.includes('\\') ? v : '/'));

export const oauthStartQuery = z.object({ next: nextPath });

// Both optional: WeChat omits `code` when the user refuses, and a bad callback must land on the
// H5 error page rather than a JSON 400.
export const oauthCallbackQuery = z.object({ code: z.string().max(512).optional(), state: z.string().max(256).optional() });

export const clientConfigSchema = z.object({
  /** the H5 goes through WeChat OAuth inside WeChat when this is true */
  wechatOAuth: z.boolean(),
});

/** Why an OAuth failed, as the H5 error page names it (`#/oauth-error?reason=`). */
export const oauthFailureReasons = ['state', 'code', 'upstream', 'disabled'] as const;
export type OAuthFailureReason = (typeof oauthFailureReasons)[number];
