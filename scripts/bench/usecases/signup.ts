import { checkDigitOf } from '../../../src/modules/volunteers/id-number';
import { pool } from '../client';
import type { Req } from '../load';
import { json, type Target } from '../target';
import { COMMUNITIES } from './fixtures';

const VOLUNTEERS = 200;

/** A valid GB 11643 ID number (adult, check digit), distinct for each n < 890,000,000. */
export function idNumber(n: number): string {
  const body = `${110_000 + Math.floor(n / 1000)}19900101${String(n % 1000).padStart(3, '0')}`;
  return body + checkDigitOf(body);
}

/**
 * An activity sign-up: each (activity, volunteer) pair once (a second is 409). 200 volunteers sign
 * up activity by activity, so the 20 connections contend for one activity's seats as at a popular
 * activity's opening; 50 seats each, the rest waitlisted (also 201).
 */
export const signupTarget: Target = {
  id: 'activity-signup',
  label: 'activity sign-up (POST /api/v1/activities/:id/signups)',
  server: 'service',
  okStatus: 201,
  baseline: 'koa-insert',
  minRatio: 0.4,
  pooled: true,
  requires: ['POST /api/v1/volunteers', 'POST /api/v1/activities', 'POST /api/v1/activities/{id}/signups'],
  prepare: async ({ client, office }, count) => {
    const notice = await client.expect<{ version: string }>(200, 'GET', '/api/v1/volunteers/privacy-notice');
    const stamp = Date.now() % 100_000;
    const volunteers = await pool(VOLUNTEERS, 10, async (i) => {
      const { token } = await client.expect<{ token: string }>(201, 'POST', '/api/v1/sessions/anonymous', {});
      const n = stamp * VOLUNTEERS + i;
      await client.expect(
        201,
        'POST',
        '/api/v1/volunteers',
        {
          realName: '压测志愿者',
          phone: `139${String(10_000_000 + (n % 90_000_000)).padStart(8, '0')}`,
          idNumber: idNumber(n),
          regionCode: COMMUNITIES[i % COMMUNITIES.length],
          consent: { agreed: true, noticeVersion: notice.version },
        },
        token,
      );
      return token;
    });
    const start = Date.now() + 7 * 86_400_000;
    const activities = await pool(
      Math.ceil(count / VOLUNTEERS),
      5,
      async (i) =>
        (
          await client.expect<{ id: string }>(
            201,
            'POST',
            '/api/v1/activities',
            {
              title: `压测活动 ${i + 1}`,
              description: '周末社区环境清洁。',
              startAt: new Date(start + i * 3_600_000).toISOString(),
              endAt: new Date(start + (i + 2) * 3_600_000).toISOString(),
              regionCode: COMMUNITIES[i % COMMUNITIES.length],
              address: '柳岸社区服务中心',
              capacity: 50,
            },
            office,
          )
        ).id,
    );
    const reqs: Req[] = activities.flatMap((id) =>
      volunteers.map((token) => ({ method: 'POST' as const, path: `/api/v1/activities/${id}/signups`, ...json({}, token) })),
    );
    let i = 0;
    return () => reqs[i++ % reqs.length]!;
  },
};
