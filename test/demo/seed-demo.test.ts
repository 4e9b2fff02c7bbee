import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { DEMO_PASSWORD } from '../../scripts/demo/actors';
import { demoPhoto } from '../../scripts/demo/photos';
import { seedDemo } from '../../scripts/demo/seed';
import { listCategories } from '../../src/modules/catalog/catalog.service';
import { processPhoto } from '../../src/modules/media/media.image';
import { Media } from '../../src/modules/media/media.model';
import { mediaRoot } from '../../src/modules/media/media.service';
import { Tipoff } from '../../src/modules/tipoffs/tipoffs.model';
import { startTestApp, type TestApp } from '../harness/app';

/** `npm run seed:demo` (smaller): the demo city reads like a real one. */
let app: TestApp;
let office: string;
beforeAll(async () => {
  app = await startTestApp();
  await seedDemo({ residents: 60, days: 40, seed: 5 });
  office = (await app.post('/api/v1/staff/sessions', { username: 'demo_office', password: DEMO_PASSWORD })).body.token;
}, 300_000);
afterAll(() => app.close());

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

describe('demo tip-off photos', () => {
  it('draws a different scene for every seed and category, each a real JPEG of a phone photo’s size that the media pipeline accepts', async () => {
    const photos: Buffer[] = [];
    for (const [i, c] of listCategories().entries())
      photos.push(await demoPhoto(c.code, 1000 + i), await demoPhoto(c.code, 2000 + i), await demoPhoto(c.code, 3000 + i, true));
    expect(new Set(photos.map(sha256)).size).toBe(photos.length);
    for (const p of photos) {
      expect(p.length).toBeGreaterThanOrEqual(10 * 1024);
      expect(p.length).toBeLessThan(1024 * 1024);
      const meta = await sharp(p).metadata();
      expect(meta.format).toBe('jpeg');
      expect(meta.width).toBeGreaterThanOrEqual(640);
      const stored = await processPhoto(p);
      expect(stored.full.length).toBeGreaterThan(5 * 1024);
    }
  });

  it('draws the same photo again from the same seed, so two seeds of the demo give the same city', async () => {
    expect(sha256(await demoPhoto('littering', 42))).toBe(sha256(await demoPhoto('littering', 42)));
  });
});

describe('the seeded city', () => {
  it('stores a different photo with every tip-off and every rectification', async () => {
    const media = await Media.find({ status: 'attached' }).lean<Array<{ file: string; owner: { kind: string } }>>();
    expect(media.length).toBeGreaterThan(10);
    const hashes = media.map((m) => sha256(fs.readFileSync(path.join(mediaRoot(), m.file))));
    expect(new Set(hashes).size).toBe(media.length);
  });

  it('describes tip-offs in words that do not repeat: a place, a time and a detail each', async () => {
    const tipoffs = await Tipoff.find().lean<Array<{ description: string; moderation: string | null }>>();
    const descriptions = tipoffs.map((t) => t.description);
    // none trips the sensitive-word list (a held demo report would hide from the public views)
    expect(tipoffs.filter((t) => t.moderation === 'held')).toEqual([]);
    expect(descriptions.length).toBeGreaterThan(10);
    expect(new Set(descriptions).size / descriptions.length).toBeGreaterThanOrEqual(0.9);
    // a place of the demo city: one of its roads or a community's landmark
    for (const d of descriptions) expect(d).toMatch(/路|街|巷|大道|社区/);
  });

  it('has past activities, one running now and upcoming ones with seats left', async () => {
    const phase = async (p: string) => (await app.get(`/api/v1/staff/activities?phase=${p}&pageSize=100`, { token: office })).body;
    const [past, running, upcoming] = await Promise.all([phase('past'), phase('running'), phase('upcoming')]);
    expect(past.total).toBeGreaterThan(3);
    expect(running.total).toBeGreaterThanOrEqual(1);
    expect(upcoming.total).toBeGreaterThanOrEqual(2);
    for (const a of upcoming.items) {
      expect(a.seatsLeft).toBeGreaterThan(0);
      expect(a.signupOpen).toBe(true);
    }
    const resident = (await app.get('/api/v1/activities')).body.items;
    expect(resident.some((a: { signupOpen: boolean; seatsLeft: number }) => a.signupOpen && a.seatsLeft > 0)).toBe(true);
  });

  it('gives the privacy notice an example contact, marked as such, instead of a made-up phone number', async () => {
    const notice = (await app.get('/api/v1/volunteers/privacy-notice')).body;
    expect(notice.example).toBe(true);
    expect(notice.contact).toContain('12345');
    expect(notice.contact).not.toContain('0574-12345678');
  });
});
