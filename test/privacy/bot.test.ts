import { createEngine } from '../../bots/engine';
import { verifyLinkToken } from '../../src/core/auth';
import { findResidentByIdentity } from '../../src/modules/residents/residents.service';
import { contact, said } from '../bot/helpers';
import { startTestApp, type TestApp } from '../harness/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const engine = createEngine();

describe('个人信息 and 注销 in chat', () => {
  it.each(['注销', '个人信息'])('answers "%s" with a signed link to the 个人信息 page, closing nothing in chat', async (word) => {
    const c = contact(engine, `privacy-${word}`);
    await c.say('你好');
    const replies = await c.say(word);
    expect(said(replies)).toMatch(/在网页中操作/);
    const link = replies.find((r) => r.kind === 'link');
    if (link?.kind !== 'link') throw new Error('no link reply');
    const token = decodeURIComponent(new URL(link.url).searchParams.get('t')!);
    const resident = await findResidentByIdentity('chat', `privacy-${word}`);
    expect(verifyLinkToken(token)).toEqual({ residentId: resident!._id, next: '/me/privacy' });
    const res = await app.get(`/h5/link?t=${encodeURIComponent(token)}`);
    expect(res.headers.get('location')).toBe('/h5/#/me/privacy');
  });
});
