import { startTestApp, type TestApp } from '../harness/app';
import { contact, said } from '../bot/helpers';
import { createEngine, type Engine } from '../../bots/engine';
import { jpegWithGps, LIUAN, north } from '../tipoffs/factories';
import { feedIds } from './factories';

let app: TestApp;
let engine: Engine;
beforeAll(async () => {
  app = await startTestApp();
  engine = createEngine();
});
afterAll(() => app.close());

let spot = 0;
/** Category → photo → place → description → 提交, as a resident types it; returns the last reply. */
async function report(contactId: string, description: string): Promise<string> {
  const c = contact(engine, contactId);
  await c.say('随手拍');
  await c.say('1');
  await c.image(await jpegWithGps());
  const p = north(LIUAN, 800 * ++spot);
  await c.location(p.lat, p.lng, '柳岸路 9 号');
  await c.say(description);
  return said(await c.say('1'));
}

describe('随手拍 in chat under content security', () => {
  it('tells the reporter kindly that a held report is being reviewed, and keeps it out of the feed', async () => {
    const done = await report('mod-held', '楼下那个脑残天天乱扔垃圾');
    expect(done).toMatch(/^提交成功！编号：T\d{6}[0-9A-Z]{6}\n您的随手拍正在审核，通过后将公开。/);
    expect(await feedIds(app)).not.toContain(done.match(/T\d{6}[0-9A-Z]{6}/)![0]);
  });

  it('says nothing about review for a clean report', async () => {
    const done = await report('mod-clean', '路边垃圾桶满了没人清理');
    expect(done).not.toContain('审核');
    expect(await feedIds(app)).toContain(done.match(/T\d{6}[0-9A-Z]{6}/)![0]);
  });
});
