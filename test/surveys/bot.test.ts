import { startTestApp, type TestApp } from '../harness/app';
import { contact, said } from '../bot/helpers';
import { COMMUNITIES } from '../factories';
import { openSurvey } from './factories';
import { createEngine, type Engine } from '../../bots/engine';
import { findResidentByIdentity, getMe } from '../../src/modules/residents/residents.service';
import { SurveyResponse } from '../../src/modules/surveys/surveys.model';

let app: TestApp;
let engine: Engine;
beforeAll(async () => {
  app = await startTestApp();
  engine = createEngine();
});
afterAll(() => app.close());

/** The number the survey list gives a title. */
function numberOf(list: string, title: string): string {
  const m = new RegExp(`(\\d+)\\. ${title}`).exec(list);
  if (!m) throw new Error(`"${title}" is not in the list:\n${list}`);
  return m[1]!;
}

describe('surveys in the chat', () => {
  it('lists the open surveys, with anonymity and length', async () => {
    const list = said(await contact(engine, 'svy-list').say('问卷'));
    expect(list).toMatch(/【问卷调查】正在进行的问卷/);
    expect(list).toMatch(/\d\. 2026年明州市创建全国文明城市市民问卷（\d+ 题，约 \d+ 分钟，匿名）/);
    expect(list).toMatch(/\d\. 文明创建微调查：身边的变化（4 题，约 1 分钟）/);
  });

  it('takes a short survey question by question: lettered options (numbers accepted), 1–5 for scales, text, then a summary and submit', async () => {
    const c = contact(engine, 'svy-short');
    const list = said(await c.say('调查'));
    const first = said(await c.say(numberOf(list, '文明创建微调查')));
    expect(first).toMatch(/「文明创建微调查：身边的变化」共 4 题/);
    expect(first).toMatch(
      /第 1\/4 题（单选题）：发现不文明现象，您知道可以通过哪种方式反映吗？\nA\. 拨打 12345 市民服务热线\nB\. 在公众号“随手拍”上报\nC\. 不知道\n请回复 A–C 中的一个字母。/,
    );

    expect(said(await c.say('5'))).toMatch(/本题没有第 5 个选项。请回复 A–C 中的一个字母。/);
    expect(said(await c.say('好的'))).toMatch(/“好的”不是有效的选项。请回复 A–C 中的一个字母。/);
    const second = said(await c.say('2'));
    expect(second).toMatch(/第 2\/4 题（打分题）：最近一个月.*\n请回复 1–5 的数字（1 = 非常不满意，5 = 非常满意）。/);
    expect(second).toMatch(/回复“上一题”修改上一题/);
    expect(said(await c.say('6'))).toMatch(/请选择 1–5 之间的整数/);
    expect(said(await c.say('４'))).toMatch(/第 3\/4 题（单选题）：您愿意利用周末参加社区志愿服务活动吗？/);
    expect(said(await c.say('跳过'))).toMatch(/这道题为必答题/);
    expect(said(await c.say('上一题'))).toMatch(/第 2\/4 题/);
    await c.say('5');
    const fourth = said(await c.say('1'));
    expect(fourth).toMatch(/第 4\/4 题（填空题，选填）：您最希望先整治身边的哪个问题？/);
    expect(fourth).toMatch(/回复“跳过”跳过此题/);

    const summary = said(await c.say('楼下的 占道经营'));
    expect(summary).toMatch(/请确认您的回答/);
    expect(summary).toMatch(/→ B\. 在公众号“随手拍”上报/);
    expect(summary).toMatch(/→ 5\n/);
    expect(summary).toMatch(/→ 楼下的 占道经营/);
    expect(summary).toMatch(/回复 1 提交，回复 2 重新填写/);

    const done = said(await c.say('1'));
    expect(done).toMatch(/提交成功/);
    expect(done).toMatch(/您获得了 3 积分/);
    const resident = (await findResidentByIdentity('chat', 'svy-short'))!;
    const stored = await SurveyResponse.findById(`pulse-weekly:${resident._id}`).lean();
    expect(stored!.answers).toEqual([
      { q: 'report-channel', v: ['B'] },
      { q: 'environment-change', v: 5 },
      { q: 'volunteer-willing', v: ['A'] },
      { q: 'first-fix', v: '楼下的 占道经营' },
    ]);
    expect((await getMe(resident._id)).participation.surveys).toBe(1);

    const again = said(await c.say('问卷'));
    expect(again).toMatch(/文明创建微调查：身边的变化（4 题，约 1 分钟）✓已填写/);
    expect(said(await c.say(numberOf(again, '文明创建微调查')))).toMatch(/您已经填写过「文明创建微调查：身边的变化」了/);
  });

  it('skips an optional question, starts over on 2, and leaves on 返回 without storing anything', async () => {
    const c = contact(engine, 'svy-skip');
    const list = said(await c.say('问卷'));
    await c.say(numberOf(list, '文明创建微调查'));
    await c.say('1');
    await c.say('3');
    await c.say('3');
    const summary = said(await c.say('跳过'));
    expect(summary).toMatch(/→ （未填）/);
    expect(said(await c.say('2'))).toMatch(/第 1\/4 题/);
    expect(said(await c.say('返回'))).toMatch(/已退出当前操作/);
    const resident = (await findResidentByIdentity('chat', 'svy-skip'))!;
    expect(await SurveyResponse.findById(`pulse-weekly:${resident._id}`).lean()).toBeNull();
  });

  it('accepts several option numbers for a multiple choice, and fills the community question from the resident', async () => {
    const { id } = await openSurvey(app, {
      title: '多选测试问卷',
      questions: [
        { id: 'home', type: 'text', demographic: 'community', text: '您居住在哪个社区？' },
        {
          id: 'problems',
          type: 'multiple',
          text: '最突出的不文明现象（可多选）',
          options: [
            { key: 'A', text: '乱扔垃圾' },
            { key: 'B', text: '乱停乱放' },
            { key: 'C', text: '占道经营' },
          ],
        },
      ],
      chat: true,
    });
    const c = contact(engine, 'svy-multi');
    await c.say('设置社区');
    await c.say('1');
    await c.say('1');
    await c.say('1');
    const list = said(await c.say('问卷'));
    const q = said(await c.say(numberOf(list, '多选测试问卷')));
    expect(q).toMatch(/第 2\/2 题（多选题）/);
    expect(said(await c.say('1，3'))).toMatch(/→ A\. 乱扔垃圾；C\. 占道经营/);
    expect(said(await c.say('1'))).toMatch(/提交成功/);
    const resident = (await findResidentByIdentity('chat', 'svy-multi'))!;
    expect((await SurveyResponse.findById(`${id}:${resident._id}`).lean())!.answers).toEqual([
      { q: 'home', v: COMMUNITIES[0] },
      { q: 'problems', v: ['A', 'C'] },
    ]);
  });

  it('tells a survey closed since the list was shown, and one closed mid-way', async () => {
    const { id, office } = await openSurvey(app, { title: '即将结束的问卷' });
    const c = contact(engine, 'svy-closed');
    const list = said(await c.say('问卷'));
    await app.post(`/api/v1/surveys/${id}/close`, {}, { token: office });
    expect(said(await c.say(numberOf(list, '即将结束的问卷')))).toMatch(/「即将结束的问卷」已经结束了/);
    await app.post(`/api/v1/surveys/${id}/open`, {}, { token: office });
    const again = said(await c.say('问卷'));
    expect(said(await c.say(numberOf(again, '即将结束的问卷')))).toMatch(/第 1\/6 题/);
    await app.post(`/api/v1/surveys/${id}/close`, {}, { token: office });
    expect(said(await c.say('1'))).toMatch(/这份问卷已经结束了/);
  });

  it('sends a long survey as a link that opens its H5 page', async () => {
    const c = contact(engine, 'svy-long');
    const list = said(await c.say('问卷'));
    const replies = await c.say(numberOf(list, '2026年明州市创建全国文明城市市民问卷'));
    const link = replies.find((r) => r.kind === 'link');
    expect(link).toMatchObject({ kind: 'link', title: '2026年明州市创建全国文明城市市民问卷' });
    expect(said(replies)).toMatch(/本问卷匿名填写，不会记录您的身份/);
    const url = new URL((link as { url: string }).url);
    expect(url.pathname).toBe('/h5/link');
    const res = await app.get(`/h5/link?t=${encodeURIComponent(url.searchParams.get('t')!)}`);
    expect(res.headers.get('location')).toBe('/h5/#/survey/civic-awareness-2026');
  });
});
