/**
 * The intended access of every endpoint, written down from the product's roles (who may do what:
 * docs/console.md, docs/api.md) and independently of the routes' own declarations. The matrix test checks the running service against it, for seven callers.
 */
export const roles = ['anonymous', 'resident', 'volunteer', 'otherUnit', 'unit', 'office', 'admin', 'enumerator'] as const;
export type Role = (typeof roles)[number];

const ALL: Role[] = [...roles];
/** any signed-in resident (a volunteer is a resident too) */
const RESIDENT: Role[] = ['resident', 'volunteer'];
/** a registered volunteer only ("caller must be a volunteer") */
const VOLUNTEER: Role[] = ['volunteer'];
/** residents and staff, not anonymous callers */
const SIGNED_IN: Role[] = ['resident', 'volunteer', 'otherUnit', 'unit', 'office', 'admin', 'enumerator'];
/** the console's staff: a 调查员 (enumerator) is not one of them */
const STAFF: Role[] = ['otherUnit', 'unit', 'office', 'admin'];
/** any staff account, the enumerator's too (its own account) */
const ACCOUNT: Role[] = [...STAFF, 'enumerator'];
/** 调查员: the fieldwork work page's endpoints */
const ENUMERATOR: Role[] = ['enumerator'];
const OFFICE: Role[] = ['office', 'admin'];
const ADMIN: Role[] = ['admin'];

/** Fixtures the rows refer to: a tip-off reported by `resident` and assigned to `unit`'s unit, etc. */
export interface Fixtures {
  tipoffId: string;
  photoId: string;
  /** the reporter's quiz attempt, and its first question */
  attemptId: string;
  questionId: string;
  activityId: string;
  checkinCode: string;
  linkToken: string;
  openApiKey: string;
}

export interface Row {
  allow: Role[];
  /**
   * the row is about one object (its owner, or the unit it is assigned to): denial may be 404
   * (it does not exist for the caller) and allowance must be a 2xx or a 4xx of the action itself
   */
  object?: boolean;
  /** changes the caller for good (a volunteer deregistering): run after every other row */
  last?: boolean;
  path?: (f: Fixtures) => string;
  body?: (f: Fixtures) => unknown;
}

/**
 * Keyed "METHOD /openapi/path". Object rows use real fixtures; the others use placeholder ids,
 * since authorization comes before validation and lookup (a 400 or 404 there means "let in").
 */
export const intended: Record<string, Row> = {
  // health and the API document
  'GET /healthz': { allow: ALL },
  'GET /readyz': { allow: ALL },
  // sessions
  'POST /api/v1/sessions/anonymous': { allow: ALL },
  'POST /api/v1/sessions/miniprogram': { allow: ALL },
  // a mini-program user reports the 订阅消息 templates they accepted (409 until they signed in by the mini-program)
  'POST /api/v1/mp/subscriptions': { allow: RESIDENT },
  'DELETE /api/v1/sessions/current': { allow: ALL },
  'GET /h5/link': { allow: ALL, path: (f) => `/h5/link?t=${encodeURIComponent(f.linkToken)}` },
  'GET /h5/oauth/start': { allow: ALL },
  'GET /h5/oauth/callback': { allow: ALL },
  // the Official Account's endpoint: WeChat signs with the Token, not a session (404 while the channel is off)
  'GET /wechat/mp': { allow: ALL },
  'POST /wechat/mp': { allow: ALL },
  'GET /api/v1/h5/config': { allow: ALL },
  'GET /api/v1/me': { allow: RESIDENT },
  'PATCH /api/v1/me': { allow: RESIDENT },
  'GET /api/v1/me/messages': { allow: RESIDENT },
  'GET /api/v1/me/messages/unread': { allow: RESIDENT },
  'POST /api/v1/me/messages/read': { allow: RESIDENT },
  // 个人信息: see, export, consents; 注销 with an empty body is refused by validation (no phrase)
  'GET /api/v1/me/data': { allow: RESIDENT },
  'GET /api/v1/me/data/export': { allow: RESIDENT },
  'GET /api/v1/me/consents': { allow: RESIDENT },
  'DELETE /api/v1/me/consents/{kind}': { allow: RESIDENT },
  'PUT /api/v1/me/consents/{kind}': { allow: RESIDENT },
  'POST /api/v1/me/closure': { allow: RESIDENT },
  'POST /api/v1/staff/sessions': { allow: ALL },
  'POST /api/v1/staff': { allow: ADMIN },
  'GET /api/v1/staff': { allow: ADMIN },
  'GET /api/v1/staff/me': { allow: ACCOUNT },
  'GET /api/v1/staff/password-policy': { allow: ALL },
  'PUT /api/v1/staff/me/password': { allow: ACCOUNT },
  'POST /api/v1/staff/bulk-status': { allow: ADMIN },
  'PATCH /api/v1/staff/accounts/{id}': { allow: ADMIN },
  'POST /api/v1/staff/accounts/{id}/password-reset': { allow: ADMIN },
  'GET /api/v1/audit': { allow: ADMIN },
  'GET /api/v1/audit/export.csv': { allow: ADMIN },
  // 内容安全: the office's queue; photos for WeChat's checker by signed link only (a bad link is 404 to all)
  'GET /api/v1/moderation/items': { allow: OFFICE },
  'POST /api/v1/moderation/items/approve': { allow: OFFICE, body: () => ({ ids: ['tipoff:T000000AAAAAA'] }) },
  'POST /api/v1/moderation/items/{id}/approve': { allow: OFFICE },
  'POST /api/v1/moderation/items/{id}/reject': { allow: OFFICE, body: () => ({ reason: '含有广告信息' }) },
  'GET /moderation/media/{token}': { allow: ALL },
  'GET /api/v1/staff/notices': { allow: STAFF },
  'POST /api/v1/staff/notices/{id}/read': { allow: STAFF },
  // regions and content
  'GET /api/v1/regions': { allow: ALL },
  'GET /api/v1/regions/nearest': { allow: ALL, path: () => '/api/v1/regions/nearest?lat=29.8768&lng=121.5655' },
  'GET /api/v1/units': { allow: ALL },
  'GET /api/v1/tipoff-categories': { allow: ALL },
  'GET /api/v1/indicators': { allow: ALL },
  'POST /api/v1/units': { allow: OFFICE },
  'PATCH /api/v1/units/{code}': { allow: OFFICE },
  'POST /api/v1/tipoff-categories': { allow: OFFICE },
  'PATCH /api/v1/tipoff-categories/{code}': { allow: OFFICE },
  'GET /api/v1/regions/populations': { allow: OFFICE },
  'GET /api/v1/regions/populations:export': { allow: OFFICE },
  'POST /api/v1/regions/populations:import': { allow: OFFICE },
  // quizzes: residents answer, the office manages
  'GET /api/v1/quizzes': { allow: ALL },
  'GET /api/v1/quizzes/{id}': { allow: ALL },
  'GET /api/v1/quizzes/{id}/leaderboard': { allow: ALL },
  'POST /api/v1/quizzes/{id}/attempts': { allow: RESIDENT },
  'GET /api/v1/quiz-attempts/{attemptId}': { allow: ['resident'], object: true, path: (f) => `/api/v1/quiz-attempts/${f.attemptId}` },
  'POST /api/v1/quiz-attempts/{attemptId}/answers': {
    allow: ['resident'],
    object: true,
    path: (f) => `/api/v1/quiz-attempts/${f.attemptId}/answers`,
    body: (f) => ({ questionId: f.questionId, choice: ['A'] }),
  },
  'POST /api/v1/quiz-attempts/{attemptId}/finish': {
    allow: ['resident'],
    object: true,
    path: (f) => `/api/v1/quiz-attempts/${f.attemptId}/finish`,
  },
  'POST /api/v1/quizzes': { allow: OFFICE },
  'PATCH /api/v1/quizzes/{id}': { allow: OFFICE },
  'DELETE /api/v1/quizzes/{id}': { allow: OFFICE },
  'GET /api/v1/quizzes/{id}/questions': { allow: OFFICE },
  'POST /api/v1/quizzes/{id}/questions': { allow: OFFICE },
  'PATCH /api/v1/quizzes/{id}/questions/{questionId}': { allow: OFFICE },
  'DELETE /api/v1/quizzes/{id}/questions/{questionId}': { allow: OFFICE },
  'POST /api/v1/quizzes/{id}/questions/{questionId}/restore': { allow: OFFICE },
  'POST /api/v1/quizzes/{id}/questions:import': { allow: OFFICE },
  'GET /api/v1/quizzes/{id}/questions:export': { allow: OFFICE },
  'GET /api/v1/quizzes/{id}/accuracy': { allow: OFFICE },
  'GET /api/v1/me/daily-quiz': { allow: RESIDENT },
  'PUT /api/v1/me/daily-quiz': { allow: RESIDENT },
  // the triage table: the office sees every tip-off, a unit its own (filtered, never refused)
  'GET /api/v1/tipoffs/triage': { allow: STAFF },
  'GET /api/v1/tipoffs/triage/export.csv': { allow: STAFF },
  'GET /api/v1/tipoffs/triage/export.xlsx': { allow: STAFF },
  'POST /api/v1/tipoffs/triage/bulk': { allow: OFFICE },
  'POST /api/v1/surveys/{id}/invitations': { allow: OFFICE },
  'GET /api/v1/surveys/{id}/invitations': { allow: OFFICE },
  'GET /api/v1/daily-quiz/today': { allow: RESIDENT },
  'POST /api/v1/daily-quiz/answer': { allow: RESIDENT },
  'POST /api/v1/me/help-requests': { allow: RESIDENT },
  'GET /api/v1/help-requests': { allow: OFFICE },
  'GET /api/v1/help-requests/{id}': { allow: OFFICE },
  'POST /api/v1/help-requests/{id}/replies': { allow: OFFICE },
  'POST /api/v1/help-requests/{id}/close': { allow: OFFICE },
  // volunteers and activities
  'GET /api/v1/volunteers/privacy-notice': { allow: ALL },
  'POST /api/v1/volunteers': { allow: RESIDENT },
  'GET /api/v1/volunteers/me': { allow: RESIDENT },
  'GET /api/v1/volunteers/me/signups': { allow: RESIDENT },
  'GET /api/v1/volunteers/me/record': { allow: RESIDENT },
  'DELETE /api/v1/volunteers/me': { allow: RESIDENT, last: true },
  'GET /api/v1/activities': { allow: ALL },
  'GET /api/v1/activities/{id}': { allow: ALL },
  'POST /api/v1/activities': { allow: OFFICE },
  'PATCH /api/v1/activities/{id}': { allow: OFFICE },
  'GET /api/v1/staff/activities': { allow: OFFICE },
  'POST /api/v1/activities/{id}/attendance': { allow: OFFICE },
  'GET /api/v1/activities/{id}/signups': { allow: OFFICE },
  'GET /api/v1/activities/{id}/checkin-qr.png': { allow: OFFICE },
  'POST /api/v1/activities/{id}/signups': { allow: VOLUNTEER, path: (f) => `/api/v1/activities/${f.activityId}/signups` },
  'DELETE /api/v1/activities/{id}/signups/me': { allow: RESIDENT },
  'POST /api/v1/activities/{id}/checkins': {
    allow: VOLUNTEER,
    path: (f) => `/api/v1/activities/${f.activityId}/checkins`,
    body: (f) => ({ code: f.checkinCode }),
  },
  'POST /api/v1/activities/{id}/checkouts': {
    allow: VOLUNTEER,
    path: (f) => `/api/v1/activities/${f.activityId}/checkouts`,
    body: (f) => ({ code: f.checkinCode }),
  },
  // tip-offs: the reporter, the office, and a unit only for what is assigned to it
  'POST /api/v1/media': { allow: SIGNED_IN },
  'GET /media/{id}': { allow: ['resident', 'unit', 'office', 'admin'], object: true, path: (f) => `/media/${f.photoId}` },
  'GET /media/{id}/thumb': { allow: ['resident', 'unit', 'office', 'admin'], object: true, path: (f) => `/media/${f.photoId}/thumb` },
  'POST /api/v1/tipoffs': { allow: RESIDENT },
  'GET /api/v1/tipoffs/mine': { allow: RESIDENT },
  'GET /api/v1/tipoffs': { allow: STAFF },
  'GET /api/v1/tipoffs/{id}': {
    allow: ['resident', 'unit', 'office', 'admin'],
    object: true,
    path: (f) => `/api/v1/tipoffs/${f.tipoffId}`,
  },
  // rectify without its photo: refused as invalid for those who may act, never carried out
  'POST /api/v1/tipoffs/{id}/transitions': {
    allow: ['unit', 'office', 'admin'],
    object: true,
    path: (f) => `/api/v1/tipoffs/${f.tipoffId}/transitions`,
    body: () => ({ action: 'rectify', note: '矩阵测试' }),
  },
  // Open311: city systems with an API key, no resident or staff identity
  'GET /open311/v2/discovery.{format}': { allow: ALL, path: () => '/open311/v2/discovery.json' },
  'GET /open311/v2/services.{format}': { allow: ALL, path: () => '/open311/v2/services.json' },
  'GET /open311/v2/services/{code}.{format}': { allow: ALL, path: () => '/open311/v2/services/littering.json' },
  'POST /open311/v2/requests.{format}': { allow: ALL, path: () => '/open311/v2/requests.json', body: (f) => ({ api_key: f.openApiKey }) },
  'GET /open311/v2/requests.{format}': { allow: ALL, path: () => '/open311/v2/requests.json' },
  'GET /open311/v2/requests/{id}.{format}': { allow: ALL, path: (f) => `/open311/v2/requests/${f.tipoffId}.json` },
  'GET /open311/v2/tokens/{token}.{format}': { allow: ALL, path: (f) => `/open311/v2/tokens/${f.tipoffId}.json` },
  // surveys: residents respond, the office manages and reads results
  'GET /api/v1/surveys': { allow: ALL },
  'GET /api/v1/surveys/{id}': { allow: ALL },
  'POST /api/v1/surveys/{id}/responses': { allow: RESIDENT },
  'POST /api/v1/surveys': { allow: OFFICE },
  'GET /api/v1/surveys/{id}/admin': { allow: OFFICE },
  'PATCH /api/v1/surveys/{id}': { allow: OFFICE },
  'POST /api/v1/surveys/{id}/open': { allow: OFFICE },
  'POST /api/v1/surveys/{id}/close': { allow: OFFICE },
  'POST /api/v1/surveys/{id}/copy': { allow: OFFICE },
  'GET /api/v1/surveys/{id}/results': { allow: OFFICE },
  'GET /api/v1/surveys/{id}/sample': { allow: OFFICE },
  'GET /api/v1/surveys/{id}/responses.xlsx': { allow: OFFICE },
  // 入户调查: the office draws and reviews, enumerators sync their visits
  'POST /api/v1/fieldwork/households/import': { allow: OFFICE },
  'GET /api/v1/fieldwork/households': { allow: OFFICE },
  'POST /api/v1/surveys/{id}/fieldwork/draws': { allow: OFFICE },
  'GET /api/v1/surveys/{id}/fieldwork/draws': { allow: OFFICE },
  'POST /api/v1/surveys/{id}/fieldwork/assignments': { allow: OFFICE },
  'GET /api/v1/fieldwork/enumerators': { allow: OFFICE },
  'GET /api/v1/fieldwork/my-assignments': { allow: ENUMERATOR },
  'POST /api/v1/fieldwork/visits': { allow: ENUMERATOR },
  'GET /api/v1/surveys/{id}/fieldwork/interviews': { allow: OFFICE },
  'POST /api/v1/fieldwork/interviews/{id}/review': { allow: OFFICE },
  'GET /api/v1/surveys/{id}/fieldwork/progress': { allow: OFFICE },
  // statistics and the weekly brief: the campaign office (docs/statistics.md)
  'GET /api/v1/stats/awareness': { allow: OFFICE },
  'GET /api/v1/stats/support': { allow: OFFICE },
  'GET /api/v1/stats/satisfaction': { allow: OFFICE },
  'GET /api/v1/stats/participation': { allow: OFFICE },
  'GET /api/v1/stats/volunteers': { allow: OFFICE },
  'GET /api/v1/stats/tipoffs': { allow: OFFICE },
  'GET /api/v1/tipoff-map': { allow: OFFICE },
  'GET /api/v1/tipoff-map/shapes': { allow: OFFICE },
  'GET /api/v1/stats/knowledge-gaps': { allow: OFFICE },
  'GET /api/v1/stats/sample-monitor': { allow: OFFICE },
  'GET /api/v1/stats/report.xlsx': { allow: OFFICE },
  'GET /api/v1/stats/export.csv': { allow: OFFICE },
  'GET /api/v1/admin/briefs': { allow: OFFICE },
  'GET /api/v1/admin/briefs/{id}.xlsx': { allow: OFFICE },
  'GET /api/v1/admin/briefs/{id}.png': { allow: OFFICE },
  // operations
  'GET /api/v1/admin/jobs': { allow: ADMIN },
  'GET /api/v1/admin/jobs/{name}/runs': { allow: ADMIN },
  'POST /api/v1/admin/jobs/{name}/run': { allow: ADMIN },
  'PUT /api/v1/admin/jobs/{name}/enabled': { allow: ADMIN, body: () => ({ enabled: true }) },
  'GET /api/v1/admin/outbox/summary': { allow: OFFICE },
  'GET /api/v1/admin/outbox/residents': { allow: OFFICE },
  'GET /api/v1/admin/outbox/rooms': { allow: OFFICE },
};
