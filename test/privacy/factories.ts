import { createEngine } from '../../bots/engine';
import { signToken } from '../../src/core/auth';
import { setClock } from '../../src/core/time';
import { notifyResident, registerReach } from '../../src/modules/outbox/outbox.service';
import { findResidentByIdentity, linkIdentity } from '../../src/modules/residents/residents.service';
import { contact } from '../bot/helpers';
import { COMMUNITIES } from '../factories';
import type { TestApp } from '../harness/app';
import { CONTENT_QUIZ, takeQuiz } from '../quiz/factories';
import { openSurvey, respond } from '../surveys/factories';
import { submitOk, uploadPhoto } from '../tipoffs/factories';
import { createActivity, registration, validIdNumber, validPhone } from '../volunteers/factories';

let seq = 0;

/** Everything a resident can leave behind, and the strings that would name them. */
export interface FullResident {
  id: string;
  token: string;
  contactId: string;
  openid: string;
  mpOpenid: string;
  nickname: string;
  realName: string;
  phone: string;
  idNumber: string;
  tipoffId: string;
  surveyId: string;
  activityId: string;
}

/**
 * A resident met in chat (Wechaty contact), also known by a mini-program and an Official Account
 * openid, who set a nickname, registered as a volunteer and served, reported a tip-off with a photo
 * (and left a draft photo), answered a named and an anonymous survey, took a quiz, subscribed to and
 * answered the daily question, asked for a person in chat and on H5, and received messages.
 */
export async function residentWithEverything(app: TestApp): Promise<FullResident> {
  const n = `${Date.now().toString(36)}${++seq}`;
  const contactId = `wxid_close_${n}`;
  const c = contact(createEngine(), contactId, 'wechaty');
  await c.say('你好');
  const id = (await findResidentByIdentity('wechaty', contactId))!._id;
  const token = signToken({ kind: 'resident', residentId: id });
  const nickname = `注销测试${n}`;
  const realName = `欧阳${'甲乙丙丁戊己庚辛壬癸'[seq % 10]}销`;
  await app.patch('/api/v1/me', { nickname, regionCode: COMMUNITIES[0] }, { token });

  const openid = `o-mini-${n}`;
  const mpOpenid = `o-mp-${n}`;
  await linkIdentity(id, 'wx-openid', openid);
  await registerReach(id, 'mini', openid);
  await linkIdentity(id, 'mp-openid', mpOpenid);
  await registerReach(id, 'mp', mpOpenid);

  const phone = validPhone();
  const idNumber = validIdNumber('19811203');
  const reg = await app.post('/api/v1/volunteers', registration({ realName, phone, idNumber }), { token });
  if (reg.status !== 201) throw new Error(`volunteer: ${JSON.stringify(reg.body)}`);
  const activityId = await serveOnce(app, token);

  const tipoff = await submitOk(app, token, { description: '小区门口垃圾堆积' });
  await uploadPhoto(app, token); // a draft never submitted
  const named = await openSurvey(app);
  await respond(app, named.id, token);
  const anonymous = await openSurvey(app, { anonymous: true });
  await respond(app, anonymous.id, token);
  await takeQuiz(app, token, CONTENT_QUIZ, 2);
  await app.request('PUT', '/api/v1/me/daily-quiz', { subscribed: true }, { token });
  const daily = await app.post('/api/v1/daily-quiz/answer', { choice: 'A' }, { token });
  if (daily.status !== 200) throw new Error(`daily answer: ${JSON.stringify(daily.body)}`);
  await c.say('人工');
  await c.say('楼道里的灯坏了很久');
  await app.post('/api/v1/me/help-requests', { said: '想咨询志愿服务时长' }, { token });
  await notifyResident(id, '您的随手拍已受理', `test:${n}`);
  await app.get('/api/v1/me/messages', { token });
  return {
    id,
    token,
    contactId,
    openid,
    mpOpenid,
    nickname,
    realName,
    phone,
    idNumber,
    tipoffId: tipoff.id,
    surveyId: named.id,
    activityId,
  };
}

/** Signs up for an activity, checks in at its start and out three hours later (the clock moved). */
async function serveOnce(app: TestApp, token: string): Promise<string> {
  const start = Date.now() + 2 * 3_600_000;
  const a = await createActivity(app, { startAt: new Date(start).toISOString(), endAt: new Date(start + 3 * 3_600_000).toISOString() });
  await app.post(`/api/v1/activities/${a.id}/signups`, {}, { token });
  try {
    setClock(() => new Date(start));
    await app.post(`/api/v1/activities/${a.id}/checkins`, { code: a.checkinCode }, { token });
    setClock(() => new Date(start + 3 * 3_600_000));
    const out = await app.post(`/api/v1/activities/${a.id}/checkouts`, { code: a.checkinCode }, { token });
    if (out.status !== 201) throw new Error(`checkout: ${JSON.stringify(out.body)}`);
    return a.id;
  } finally {
    setClock(undefined);
  }
}
