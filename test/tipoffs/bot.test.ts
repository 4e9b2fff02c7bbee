import { startTestApp, type TestApp } from '../harness/app';
import { contact, said } from '../bot/helpers';
import { staffSession } from '../factories';
import { createEngine, type Engine } from '../../bots/engine';
import { findResidentByIdentity } from '../../src/modules/residents/residents.service';
import { listCategories } from '../../src/modules/catalog/catalog.service';
import { toOpen311Request } from '../../src/modules/tipoffs/open311.service';
import { listMyTipoffs } from '../../src/modules/tipoffs/tipoffs.lists';
import { Tipoff, type TipoffDoc } from '../../src/modules/tipoffs/tipoffs.model';
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
    expect(said(await c.say('柳岸路'))).toMatch(/没有找到“柳岸路”。请回复列表中的序号（1-3）/);
    const p = place();
    expect(said(await c.location(p.lat, p.lng, '柳岸路 8 号'))).toMatch(/请用一句话描述问题/);
    const confirm = said(await c.say('路边垃圾堆了三天'));
    expect(confirm).toMatch(
      /【请确认举报内容】\n类别：乱扔垃圾\n照片：1 张\n位置：柳岸路 8 号，东湖区 湖滨街道 .+社区\n描述：路边垃圾堆了三天\n1\. 提交\n2\. 匿名提交/,
    );
    const done = said(await c.say('1'));
    expect(done).toMatch(/^提交成功！编号：T\d{6}[0-9A-Z]{6}\n/);
    const me = await residentOf('tip-whole');
    const { items } = await listMyTipoffs(me._id, { limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id: done.match(/T\d{6}[0-9A-Z]{6}/)![0],
      status: 'submitted',
      categoryCode: 'littering',
      description: '路边垃圾堆了三天',
      anonymous: false,
      location: { address: '柳岸路 8 号' },
    });
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

describe('随手拍 in chat without a location message', () => {
  const TIP_ID = /T\d{6}[0-9A-Z]{6}/;
  const stored = async (reply: string) => (await Tipoff.findById(reply.match(TIP_ID)![0]).lean<TipoffDoc>())!;
  /** Category 乱扔垃圾 and one photo: the flow then waits at the location step. */
  async function atLocationStep(contactId: string) {
    const c = contact(engine, contactId);
    await c.say('随手拍');
    await c.say('1');
    const ask = said(await c.image(await jpegWithGps()));
    return { c, ask };
  }

  it('offers the districts beside the location message at the location step', async () => {
    const { ask } = await atLocationStep('tip-manual-offer');
    expect(ask).toMatch(
      /请发送问题发生的位置[\s\S]*不方便发送位置？也可以手动选择问题所在的区（回复序号或名称）：\n1\. 东湖区\n2\. 西岭区\n3\. 南港区/,
    );
  });

  it('takes a whole report by a typed community name and a landmark, stored with both', async () => {
    const { c } = await atLocationStep('tip-by-name');
    expect(said(await c.say('望湖'))).toMatch(
      /位置：东湖区 湖滨街道 望湖社区。\n请补充具体位置，如“柳岸路与湖滨路交叉口东侧”；回复“跳过”可不填。/,
    );
    expect(said(await c.say('湖滨路公交站对面'))).toMatch(/请用一句话描述问题/);
    const confirm = said(await c.say('垃圾桶满了没人清'));
    expect(confirm).toMatch(/位置：湖滨路公交站对面，东湖区 湖滨街道 望湖社区（手动选择）/);
    const done = said(await c.say('1'));
    expect(done).toMatch(/^提交成功！编号：T/);
    const doc = await stored(done);
    expect(doc).toMatchObject({
      regionCode: '330201001002',
      regionPath: ['3302', '330201', '330201001', '330201001002'],
      unitCode: listCategories().find((x) => x.code === 'littering')!.unitCode,
      location: { lat: 29.8768, lng: 121.5655, address: '湖滨路公交站对面', source: 'community' },
      possibleDuplicateOf: null,
    });
  });

  it('walks district → street → community by numbers, goes up with 0, and may skip the landmark', async () => {
    const { c } = await atLocationStep('tip-by-numbers');
    expect(said(await c.say('2'))).toMatch(
      /西岭区 › 请选择问题所在的街道（回复序号或名称）：\n1\. 青山街道\n2\. 文昌街道\n回复 0 返回上一级/,
    );
    expect(said(await c.say('0'))).toMatch(/1\. 东湖区\n2\. 西岭区/);
    await c.say('2');
    expect(said(await c.say('2'))).toMatch(
      /西岭区 文昌街道 › 请选择问题所在的社区（回复序号或名称）：\n1\. 文昌社区\n2\. 书院社区\n3\. 梧桐社区/,
    );
    expect(said(await c.say('9'))).toMatch(/请回复列表中的序号（1-3）/);
    expect(said(await c.say('3'))).toMatch(/位置：西岭区 文昌街道 梧桐社区。\n请补充具体位置/);
    expect(said(await c.say('跳过'))).toMatch(/请用一句话描述问题/);
    expect(said(await c.say('路边乱扔烟头'))).toMatch(/位置：西岭区 文昌街道 梧桐社区（手动选择）\n/);
    const doc = await stored(said(await c.say('1')));
    expect(doc.regionCode).toBe('330202002003');
    expect(doc.location).toMatchObject({ address: null, source: 'community' });
  });

  it('lists the places an ambiguous name fits and takes the one picked', async () => {
    const { c } = await atLocationStep('tip-ambiguous');
    expect(said(await c.say('新河'))).toMatch(/有 2 处与“新河”相符：\n1\. 东湖区 新河街道\n2\. 东湖区 新河街道 新河社区\n请回复序号选择。/);
    expect(said(await c.say('2'))).toMatch(/位置：东湖区 新河街道 新河社区。\n请补充具体位置/);
    await c.say('新河菜场门口');
    await c.say('菜场门口垃圾成堆');
    const doc = await stored(said(await c.say('1')));
    expect(doc).toMatchObject({ regionCode: '330201002001', location: { address: '新河菜场门口', source: 'community' } });
  });

  it('offers the manual choice for a location outside the city, and a location sent later still wins', async () => {
    const { c } = await atLocationStep('tip-out-of-city');
    const out = said(await c.location(39.9, 116.4, '北京'));
    expect(out).toMatch(/该位置不在本市范围内[\s\S]*也可以手动选择问题所在的区（回复序号或名称）：\n1\. 东湖区/);
    expect(said(await c.say('丰乐'))).toMatch(/位置：东湖区 新河街道 丰乐社区。\n请补充具体位置/);
    const p = place();
    expect(said(await c.location(p.lat, p.lng, '柳岸路 18 号'))).toMatch(/请用一句话描述问题/);
    await c.say('人行道上乱停车');
    const doc = await stored(said(await c.say('1')));
    expect(doc.location).toMatchObject({ lat: p.lat, lng: p.lng, address: '柳岸路 18 号', source: null });
  });

  it('keeps Open311 honest: no coordinates for a community-placed tip-off, the community named instead', async () => {
    const { c } = await atLocationStep('tip-open311-approx');
    await c.say('荷花池');
    await c.say('荷花池公园北门');
    await c.say('草坪上有垃圾');
    const out = toOpen311Request(await stored(said(await c.say('1'))));
    expect(out).toMatchObject({ lat: null, long: null, address: '荷花池公园北门，东湖区 湖滨街道 荷花池社区' });
  });
});
