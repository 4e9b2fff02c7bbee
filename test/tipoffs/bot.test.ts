import { startTestApp, type TestApp } from '../harness/app';
import { contact, said } from '../bot/helpers';
import { staffSession } from '../factories';
import { createEngine, type Engine } from '../../bots/engine';
import { findResidentByIdentity } from '../../src/modules/residents/residents.service';
import { listMyTipoffs } from '../../src/modules/tipoffs/tipoffs.lists';
import { jpegWithGps, LIUAN, north, transition } from './factories';

let app: TestApp;
let engine: Engine;
beforeAll(async () => {
  app = await startTestApp();
  engine = createEngine();
});
afterAll(() => app.close());

let spot = 0;
const place = () => north(LIUAN, 700 * ++spot);
const residentOf = async (contactId: string) => (await findResidentByIdentity('chat', contactId))!;

describe('随手拍 in chat', () => {
  it('takes a whole report: category by number → photo → location → description → confirm', async () => {
    const c = contact(engine, 'tip-whole');
    const start = said(await c.say('随手拍'));
    expect(start).toMatch(/请选择问题类别（回复序号或名称）：\n1\. 乱扔垃圾\n2\. 乱停乱放/);
    expect(said(await c.say('1'))).toMatch(/类别：乱扔垃圾。请拍摄或选择现场照片发送给我/);
    expect(said(await c.say('这里很脏'))).toMatch(/请发送照片/);
    expect(said(await c.image(await jpegWithGps()))).toMatch(/已收到第 1 张照片。\n请发送问题发生的位置/);
    expect(said(await c.say('柳岸路'))).toMatch(/需要位置消息/);
    const p = place();
    expect(said(await c.location(p.lat, p.lng, '柳岸路 8 号'))).toMatch(/请用一句话描述问题/);
    const confirm = said(await c.say('路边垃圾堆了三天'));
    expect(confirm).toMatch(/【请确认举报内容】\n类别：乱扔垃圾\n照片：1 张\n位置：柳岸路 8 号，东湖区 湖滨街道 .+社区\n描述：路边垃圾堆了三天\n1\. 提交\n2\. 匿名提交/);
    const done = said(await c.say('1'));
    expect(done).toMatch(/^提交成功！编号：T\d{6}[0-9A-Z]{6}\n/);
    const me = await residentOf('tip-whole');
    const { items } = await listMyTipoffs(me._id, { limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: done.match(/T\d{6}[0-9A-Z]{6}/)![0], status: 'submitted', categoryCode: 'littering', description: '路边垃圾堆了三天', anonymous: false, location: { address: '柳岸路 8 号' } });
    expect(items[0].photos).toHaveLength(1);
    expect(said(await c.say('你好'))).toMatch(/主菜单/); // the flow is over
  });

  it('starts a report from a photo sent outside any flow, and submits it anonymously', async () => {
    const c = contact(engine, 'tip-photo-first');
    await c.say('你好');
    expect(said(await c.image(await jpegWithGps()))).toMatch(/收到您的图片啦！我们用它发起一次随手拍举报吧。\n请选择问题类别/);
    expect(said(await c.image(await jpegWithGps()))).toMatch(/已收到第 2 张照片。\n请选择问题类别/);
    expect(said(await c.say('占道经营'))).toMatch(/请发送问题发生的位置/);
    const p = place();
    await c.location(p.lat, p.lng);
    await c.say('早上有人占道卖菜');
    expect(said(await c.say('2'))).toMatch(/提交成功！编号：T\w+（匿名）/);
    const { items } = await listMyTipoffs((await residentOf('tip-photo-first'))._id, { limit: 10 });
    expect(items[0]).toMatchObject({ categoryCode: 'street-vending', anonymous: true });
    expect(items[0].photos).toHaveLength(2);
  });

  it('asks again for a photo that is not an image, and for a place outside the city', async () => {
    const c = contact(engine, 'tip-bad-input');
    await c.say('你好');
    const notPhoto = said(await c.image(Buffer.from('<?php echo 1; ?>')));
    expect(notPhoto).toMatch(/收到您的图片啦，不过照片不是有效的图片：仅支持 JPEG、PNG、WebP 格式的照片/);
    expect(notPhoto).toMatch(/回复“随手拍”/);
    await c.say('随手拍');
    await c.say('3');
    expect(said(await c.image(Buffer.from('GIF89a....')))).toMatch(/仅支持 JPEG、PNG、WebP 格式的照片。请重新拍一张发送/);
    await c.image(await jpegWithGps());
    expect(said(await c.location(39.9, 116.4, '北京'))).toMatch(/该位置不在本市范围内/);
    expect(said(await c.say('取消'))).toMatch(/已退出当前操作/);
  });

  it('cancels at the confirmation without submitting', async () => {
    const c = contact(engine, 'tip-cancel');
    await c.say('随手拍');
    await c.say('5');
    await c.image(await jpegWithGps());
    const p = place();
    await c.location(p.lat, p.lng);
    await c.say('有人随地吐痰');
    expect(said(await c.say('3'))).toMatch(/已取消本次举报/);
    expect((await listMyTipoffs((await residentOf('tip-cancel'))._id, { limit: 10 })).items).toEqual([]);
  });

  it('lists "我的举报" with status and unit, and links to the H5 page', async () => {
    const c = contact(engine, 'tip-mine');
    expect(said(await c.say('我的举报'))).toMatch(/您还没有举报过不文明现象/);
    await c.say('随手拍');
    await c.say('1');
    await c.image(await jpegWithGps());
    const p = place();
    await c.location(p.lat, p.lng);
    await c.say('垃圾桶旁边堆满了垃圾');
    const id = said(await c.say('1')).match(/T\d{6}[0-9A-Z]{6}/)![0];
    const office = await staffSession(app, 'office');
    await transition(app, office.token, id, { action: 'accept' });
    const mine = await c.say('我的举报');
    expect(said(mine)).toMatch(new RegExp(`【我的举报】最近 5 条：\\n1\\. 乱扔垃圾 · 处置中（市环境卫生管理处，时限 .+）\\n   编号 ${id}`));
    expect(mine.find((r) => r.kind === 'link')).toMatchObject({ title: '我的随手拍', url: expect.stringContaining('/h5/link?t=') });
  });
});
