import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { startTestApp, type TestApp } from '../harness/app';
import { registration } from '../volunteers/factories';
import type { StaffPrincipal } from '../../src/core/auth';
import { setClock } from '../../src/core/time';
import { createJobRunner } from '../../src/modules/jobs/jobs.runner';
import { maintenanceJobs } from '../../src/modules/maintenance/maintenance.jobs';
import { Media } from '../../src/modules/media/media.model';
import { mediaRoot, storePhoto } from '../../src/modules/media/media.service';
import { OutboxMessage } from '../../src/modules/outbox/outbox.model';
import { notifyResident } from '../../src/modules/outbox/outbox.service';
import { createResident } from '../../src/modules/residents/residents.service';
import { recordParticipation } from '../../src/modules/counters/counters.recorder';
import { Tipoff } from '../../src/modules/tipoffs/tipoffs.model';
import { submitTipoff } from '../../src/modules/tipoffs/tipoffs.service';
import { transitionTipoff } from '../../src/modules/tipoffs/tipoffs.transitions';
import { Volunteer, VolunteerIdNumber } from '../../src/modules/volunteers/volunteers.model';
import { registerVolunteer } from '../../src/modules/volunteers/volunteers.service';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  setClock(undefined);
  await app.close();
});

const NOW = Date.parse('2026-11-20T03:50:00+08:00');
const daysAgo = (d: number) => new Date(NOW - d * 86_400_000);
const office: StaffPrincipal = { kind: 'staff', staffId: 'office-r', username: 'office-r', role: 'office' };
const jpeg = () =>
  sharp({ create: { width: 320, height: 240, channels: 3, background: '#468' } })
    .jpeg()
    .toBuffer();

/** A resident's tip-off reported `age` days ago, closed a day later unless `open`. */
async function tipoff(age: number, open = false): Promise<{ id: string; photos: string[]; reporter: string }> {
  setClock(() => daysAgo(age));
  const r = await createResident();
  const photo = await storePhoto(await jpeg(), { kind: 'resident', id: r._id });
  const doc = await submitTipoff(
    { kind: 'resident', residentId: r._id },
    { categoryCode: 'littering', description: '路边垃圾', lat: 29.87, lng: 121.55, anonymous: false, photoIds: [photo._id] },
  );
  await transitionTipoff(doc._id, office, { action: 'accept' });
  const after = await storePhoto(await jpeg(), { kind: 'staff', id: office.staffId });
  if (!open) {
    setClock(() => daysAgo(age - 1));
    await transitionTipoff(doc._id, office, { action: 'rectify', photos: [after._id] });
    await transitionTipoff(doc._id, office, { action: 'close' });
  }
  setClock(undefined);
  return { id: doc._id, photos: open ? [photo._id] : [photo._id, after._id], reporter: r._id };
}

async function volunteer(age: number, lastActiveAgo?: number): Promise<string> {
  setClock(() => daysAgo(age));
  const r = await createResident();
  await registerVolunteer(r._id, registration() as never, 'api');
  if (lastActiveAgo !== undefined)
    await recordParticipation({ id: r._id, regionCode: null }, 'checkin', daysAgo(lastActiveAgo), `retention-${r._id}`);
  setClock(undefined);
  return r._id;
}

const fileExists = async (id: string) => {
  const m = await Media.findById(id).lean();
  return Boolean(m && fs.existsSync(path.join(mediaRoot(), m.file)));
};

describe('retention (privacy.retention)', () => {
  it('deletes and anonymizes only what is past its retention, and counts it', async () => {
    const ancient = await tipoff(1200); // photos and reporter both due
    const oldClosed = await tipoff(400); // photos due (365 d), reporter not (1095 d)
    const oldOpen = await tipoff(400, true); // still being handled: evidence kept
    const recent = await tipoff(10);

    const idle = await volunteer(1200);
    const stillActive = await volunteer(1200, 100);
    const newcomer = await volunteer(10);

    const someone = await createResident();
    setClock(() => daysAgo(1100));
    await notifyResident(someone._id, '很久以前的通知', 'test:old');
    setClock(() => daysAgo(5));
    await notifyResident(someone._id, '最近的通知', 'test:new');
    setClock(undefined);

    const run = await createJobRunner({ jobs: maintenanceJobs, instanceId: 't' }).runOccurrence('privacy.retention', new Date(NOW));
    expect(run).toMatchObject({ status: 'ok', error: null });
    // messages: the old note, and the ancient tip-off's three status messages to its reporter
    expect(run!.counts).toMatchObject({
      photosDeleted: 4,
      tipoffsPhotosPurged: 2,
      reportersAnonymized: 1,
      volunteersAnonymized: 1,
      messagesDeleted: 4,
    });

    for (const id of [...ancient.photos, ...oldClosed.photos]) expect(await fileExists(id)).toBe(false);
    for (const id of [...oldOpen.photos, ...recent.photos]) expect(await fileExists(id)).toBe(true);
    expect(await Tipoff.findById(oldClosed.id).lean()).toMatchObject({
      photos: [],
      afterPhotos: [],
      reporterId: oldClosed.reporter,
      status: 'closed',
    });
    expect((await Tipoff.findById(ancient.id).lean())!.reporterId).toBeNull();
    expect((await Tipoff.findById(recent.id).lean())!.reporterId).toBe(recent.reporter);

    const gone = (await Volunteer.findById(idle).lean())!;
    expect(gone).toMatchObject({ realName: '（已匿名）', phoneEnc: '', idNumberEnc: '', idNumberMasked: '' });
    expect(gone.regionCode).toBeTruthy(); // still counted in its community's volunteer rate
    expect(await VolunteerIdNumber.countDocuments({ residentId: idle })).toBe(0);
    for (const id of [stillActive, newcomer]) expect((await Volunteer.findById(id).lean())!.phoneEnc).not.toBe('');

    expect((await OutboxMessage.find({ residentId: someone._id }).lean()).map((m) => m.text)).toEqual(['最近的通知']);

    // nothing is due twice
    const again = await createJobRunner({ jobs: maintenanceJobs, instanceId: 't' }).runOccurrence(
      'privacy.retention',
      new Date(NOW + 60_000),
    );
    expect(again!.counts).toMatchObject({ photosDeleted: 0, reportersAnonymized: 0, volunteersAnonymized: 0, messagesDeleted: 0 });
  });
});
