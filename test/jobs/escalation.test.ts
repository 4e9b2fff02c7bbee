import sharp from 'sharp';
import { useTestApp } from '../harness/app';
import { staffSession } from '../factories';
import type { StaffPrincipal } from '../../src/core/auth';
import { setClock } from '../../src/core/time';
import { createJobRunner } from '../../src/modules/jobs/jobs.runner';
import { storePhoto } from '../../src/modules/media/media.service';
import { noticeJobs } from '../../src/modules/notices/notices.jobs';
import { submitTipoff } from '../../src/modules/tipoffs/tipoffs.service';
import { transitionTipoff } from '../../src/modules/tipoffs/tipoffs.transitions';

const app = useTestApp();

const office: StaffPrincipal = { kind: 'staff', staffId: 'office-1', username: 'office-1', role: 'office' };
const runner = createJobRunner({ jobs: noticeJobs, instanceId: 'test' });

/** A tip-off accepted (deadline = acceptance + the category's hours) at `acceptedAt`, optionally rectified later. */
async function tipoff(categoryCode: string, acceptedAt: string, then?: 'rectify'): Promise<string> {
  setClock(() => new Date(acceptedAt));
  const doc = await submitTipoff(
    { kind: 'open311', client: 'test' },
    { categoryCode, description: '测试问题描述', lat: 29.87, lng: 121.55, anonymous: false },
  );
  await transitionTipoff(doc._id, office, { action: 'accept' });
  if (then) {
    const after = await storePhoto(
      await sharp({ create: { width: 320, height: 240, channels: 3, background: '#5a8' } })
        .jpeg()
        .toBuffer(),
      { kind: 'staff', id: office.staffId },
    );
    await transitionTipoff(doc._id, office, { action: 'rectify', note: '已整改', photos: [after._id] });
  }
  setClock(undefined);
  return doc._id;
}

describe('tip-off escalation (tipoffs.escalate)', () => {
  it('tells the unit of each overdue tip-off once, and the office past the second threshold', async () => {
    // overflowing-bins → hwc, 12 h; littering → hwc, 24 h; street-vending → cgj, 48 h
    const late60h = await tipoff('overflowing-bins', '2026-11-01T08:00:00+08:00'); // deadline 11-01 20:00
    const late2h = await tipoff('littering', '2026-11-03T06:00:00+08:00'); // deadline 11-04 06:00
    const notYet = await tipoff('street-vending', '2026-11-03T08:00:00+08:00'); // deadline 11-05 08:00
    const rectified = await tipoff('overflowing-bins', '2026-11-01T08:00:00+08:00', 'rectify');

    const at = new Date('2026-11-04T08:00:00+08:00');
    const run = await runner.runOccurrence('tipoffs.escalate', at);
    expect(run).toMatchObject({ status: 'ok', counts: { overdue: 2, unitNotified: 2, officeNotified: 1 } });

    const unit = await staffSession(app, 'unit', 'hwc');
    const inbox = await app.get('/api/v1/staff/notices', { token: unit.token });
    expect(inbox.status).toBe(200);
    expect(inbox.body.unread).toBe(2);
    const about = inbox.body.items.map((n: { text: string }) => n.text).join('\n');
    expect(about).toContain(late60h);
    expect(about).toContain(late2h);
    expect(about).not.toContain(notYet);
    expect(about).not.toContain(rectified);
    expect(inbox.body.items[0]).toMatchObject({ kind: 'tipoff-overdue', audience: 'unit:hwc', readAt: null });

    const officeToken = (await staffSession(app, 'office')).token;
    const officeInbox = await app.get('/api/v1/staff/notices', { token: officeToken });
    expect(officeInbox.body.items).toHaveLength(1);
    expect(officeInbox.body.items[0]).toMatchObject({ kind: 'tipoff-escalated', link: `/console/tipoffs/${late60h}` });
    expect(officeInbox.body.items[0].text).toMatch(/市环境卫生管理处.*已逾期 2 天 12 小时/);

    // another unit sees none of it; a later run notifies nobody twice
    const other = await staffSession(app, 'unit', 'cgj');
    expect((await app.get('/api/v1/staff/notices', { token: other.token })).body.items).toHaveLength(0);
    const again = await runner.runOccurrence('tipoffs.escalate', new Date('2026-11-04T08:15:00+08:00'));
    expect(again!.counts).toEqual({ overdue: 2, unitNotified: 0, officeNotified: 0 });

    // the 48 h tip-off becomes overdue later, and only its unit hears of it first
    const later = await runner.runOccurrence('tipoffs.escalate', new Date('2026-11-05T09:00:00+08:00'));
    expect(later!.counts).toMatchObject({ overdue: 3, unitNotified: 1, officeNotified: 0 });
    expect((await app.get('/api/v1/staff/notices', { token: other.token })).body.items[0].text).toContain(notYet);
  });

  it('lets a unit mark its notice read, the office look into a unit inbox but not clear it', async () => {
    const unit = await staffSession(app, 'unit', 'hwc');
    const officeToken = (await staffSession(app, 'office')).token;
    const peek = await app.get('/api/v1/staff/notices?unit=hwc', { token: officeToken });
    expect(peek.body.items.length).toBeGreaterThan(0);
    const id = encodeURIComponent(peek.body.items[0].id);
    expect((await app.post(`/api/v1/staff/notices/${id}/read`, {}, { token: officeToken })).status).toBe(404);
    const read = await app.post(`/api/v1/staff/notices/${id}/read`, {}, { token: unit.token });
    expect(read.status).toBe(200);
    expect(read.body.readAt).not.toBeNull();
    expect((await app.get('/api/v1/staff/notices?unit=cgj', { token: unit.token })).status).toBe(403);
  });
});
