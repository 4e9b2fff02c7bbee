import type { TestApp } from '../harness/app';
import { signToken } from '../../src/core/auth';
import { residentForIdentity } from '../../src/modules/residents/residents.service';

/** A follower of the Official Account who uses the H5 pages: a resident WeChat knows by openid. */
export async function followerSession(openid: string): Promise<{ token: string; id: string }> {
  const r = await residentForIdentity('mp-openid', openid);
  return { token: signToken({ kind: 'resident', residentId: r._id }), id: r._id };
}

/** The texts of a resident's H5 消息, newest first. */
export async function messagesOf(app: TestApp, token: string): Promise<string[]> {
  const res = await app.get('/api/v1/me/messages?limit=20', { token });
  return (res.body.items as { text: string }[]).map((m) => m.text);
}

/** The ids in the public Open311 feed (the last 90 days, every status). */
export async function feedIds(app: TestApp): Promise<string[]> {
  const res = await fetch(`${app.baseUrl}/open311/v2/requests.json`);
  return ((await res.json()) as { service_request_id: string }[]).map((r) => r.service_request_id);
}

/** The moderation queue as the office sees it. */
export async function queue(app: TestApp, token: string, status = 'held'): Promise<any[]> {
  const res = await app.get(`/api/v1/moderation/items?status=${status}&pageSize=100`, { token });
  if (res.status !== 200) throw new Error(`queue: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items;
}
