import type { TestApp } from './harness/app';

/** Test data factories: each returns what a test needs to act as that person. */
export const COMMUNITIES = ['330201001001', '330201001002', '330202002001', '330203002001'] as const;

export async function residentSession(
  app: TestApp,
  opts: { regionCode?: string; nickname?: string } = {},
): Promise<{ token: string; id: string }> {
  const res = await app.post('/api/v1/sessions/anonymous', {});
  if (res.status !== 201) throw new Error(`anonymous session failed: ${res.status}`);
  const { token, resident } = res.body as { token: string; resident: { id: string } };
  if (opts.regionCode || opts.nickname) {
    const p = await app.patch('/api/v1/me', { regionCode: opts.regionCode, nickname: opts.nickname }, { token });
    if (p.status !== 200) throw new Error(`patch me failed: ${JSON.stringify(p.body)}`);
  }
  return { token, id: resident.id };
}

let staffSeq = 0;

/** Signs in as a staff member of the role, creating the account through the admin API. */
export async function staffSession(
  app: TestApp,
  role: 'admin' | 'office' | 'unit' | 'enumerator',
  unitCode?: string,
): Promise<{ token: string; username: string }> {
  const admin = await adminToken(app);
  if (role === 'admin' && !unitCode) return { token: admin, username: 'root' };
  const username = `${role}${++staffSeq}_${Date.now().toString(36)}`;
  const created = await app.post('/api/v1/staff', { username, password: 'password-123', role, unitCode }, { token: admin });
  if (created.status !== 201) throw new Error(`create staff failed: ${JSON.stringify(created.body)}`);
  const login = await app.post('/api/v1/staff/sessions', { username, password: 'password-123' });
  return { token: login.body.token, username };
}

let adminCache: { app: TestApp; token: string } | undefined;

export async function adminToken(app: TestApp): Promise<string> {
  if (adminCache?.app === app) return adminCache.token;
  const { ensureFirstAdmin } = await import('../src/modules/staff/staff.service');
  await ensureFirstAdmin('root', 'root-password-1');
  const login = await app.post('/api/v1/staff/sessions', { username: 'root', password: 'root-password-1' });
  if (login.status !== 201) throw new Error(`admin login failed: ${JSON.stringify(login.body)}`);
  adminCache = { app, token: login.body.token };
  return adminCache.token;
}

/**
 * A tip-off reported by a city system (no photo needed) at a place, optionally rejected by the office
 * so it is finished; the clock is set to `at` while it is made. Returns its id.
 */
export async function reportTipoff(
  opts: { categoryCode?: string; lat?: number; lng?: number; address?: string; at?: string; reject?: boolean } = {},
): Promise<string> {
  const { setClock } = await import('../src/core/time');
  const { submitTipoff } = await import('../src/modules/tipoffs/tipoffs.service');
  const { transitionTipoff } = await import('../src/modules/tipoffs/tipoffs.transitions');
  if (opts.at) setClock(() => new Date(opts.at!));
  try {
    const doc = await submitTipoff(
      { kind: 'open311', client: 'test' },
      {
        categoryCode: opts.categoryCode ?? 'littering',
        description: '测试问题描述',
        lat: opts.lat,
        lng: opts.lng,
        address: opts.address,
        anonymous: false,
      },
    );
    if (opts.reject)
      await transitionTipoff(
        doc._id,
        { kind: 'staff', staffId: 'office-f', username: 'office-f', role: 'office' },
        { action: 'reject', note: '不属于受理范围' },
      );
    return doc._id;
  } finally {
    if (opts.at) setClock(undefined);
  }
}
