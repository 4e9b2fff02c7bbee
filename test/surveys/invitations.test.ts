import { useTestApp } from '../harness/app';
import { residentSession } from '../factories';
import { openSurvey, respond } from './factories';
import { OutboxMessage } from '../../src/modules/outbox/outbox.model';

const app = useTestApp();

/** Waits for the background run to finish and returns its progress. */
async function finished(surveyId: string, office: string, region: string) {
  for (let i = 0; i < 100; i++) {
    const res = await app.get(`/api/v1/surveys/${surveyId}/invitations?regionCode=${region}`, { token: office });
    if (res.body.status === 'done') return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the invitations did not finish');
}

describe('inviting residents to answer a survey (问卷邀请)', () => {
  it('invites the residents of a community who have not answered, once each, as a survey-invitation notice', async () => {
    const region = '330203002002';
    const { id, office } = await openSurvey(app);
    const [a, b, c] = [
      await residentSession(app, { regionCode: region }),
      await residentSession(app, { regionCode: region }),
      await residentSession(app, { regionCode: region }),
    ];
    const elsewhere = await residentSession(app, { regionCode: '330201001001' });
    expect((await respond(app, id, c.token)).status).toBe(201);

    const started = await app.post(`/api/v1/surveys/${id}/invitations`, { regionCode: region }, { token: office });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ surveyId: id, regionCode: region, status: 'running' });
    const done = await finished(id, office, region);
    expect(done).toMatchObject({ invited: 2, skipped: 1 });
    for (const r of [a, b]) {
      const m = await OutboxMessage.findById(`${r.id}:survey:${id}:invite`).lean();
      expect(m!.text).toMatch(/^【问卷邀请】诚邀您参加「.+」/);
    }
    expect(await OutboxMessage.findById(`${c.id}:survey:${id}:invite`).lean()).toBeNull();
    expect(await OutboxMessage.findById(`${elsewhere.id}:survey:${id}:invite`).lean()).toBeNull();

    // a second run invites nobody twice
    await app.post(`/api/v1/surveys/${id}/invitations`, { regionCode: region }, { token: office });
    expect(await finished(id, office, region)).toMatchObject({ invited: 0, skipped: 3 });
  });

  it('refuses a survey that is not open, and a resident or a bad region', async () => {
    const { id, office } = await openSurvey(app);
    expect((await app.post(`/api/v1/surveys/${id}/close`, {}, { token: office })).status).toBe(200);
    const closed = await app.post(`/api/v1/surveys/${id}/invitations`, {}, { token: office });
    expect(closed.status).toBe(409);
    expect(closed.body.error.message).toMatch(/问卷未开放/);
    const r = await residentSession(app);
    expect((await app.post(`/api/v1/surveys/${id}/invitations`, {}, { token: r.token })).status).toBe(403);
    expect((await app.post(`/api/v1/surveys/${id}/invitations`, { regionCode: 'abc' }, { token: office })).status).toBe(400);
  });
});
