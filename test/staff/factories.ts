import type { TestApp } from '../harness/app';
import { adminToken } from '../factories';

let seq = 0;
export const PASSWORD = 'password-123';

/** A fresh account made by the admin API; returns its id, username and a signed-in token. */
export async function makeStaff(
  app: TestApp,
  role: 'admin' | 'office' | 'unit',
  extra: { unitCode?: string; displayName?: string } = {},
): Promise<{ id: string; username: string; token: string }> {
  const admin = await adminToken(app);
  const username = `${role}_s${++seq}_${Date.now().toString(36)}`;
  const created = await app.post(
    '/api/v1/staff',
    {
      username,
      password: PASSWORD,
      role,
      unitCode: role === 'unit' ? (extra.unitCode ?? 'cgj') : undefined,
      displayName: extra.displayName,
    },
    { token: admin },
  );
  if (created.status !== 201) throw new Error(`create staff failed: ${JSON.stringify(created.body)}`);
  const login = await app.post('/api/v1/staff/sessions', { username, password: PASSWORD });
  return { id: created.body.id, username, token: login.body.token };
}
