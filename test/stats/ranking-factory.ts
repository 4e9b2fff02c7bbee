import sharp from 'sharp';
import type { StaffPrincipal } from '../../src/core/auth';
import { setClock } from '../../src/core/time';
import { storePhoto } from '../../src/modules/media/media.service';
import { submitTipoff } from '../../src/modules/tipoffs/tipoffs.service';
import { transitionTipoff } from '../../src/modules/tipoffs/tipoffs.transitions';

/**
 * Tip-offs for the unit ranking, made through the tipoffs module's services (faster than the API for
 * dozens): per unit, `accepted` tip-offs reported and accepted on `day`, `onTime` of them rectified
 * 6 hours later, `late` of them 3 days later (past every deadline of the categories used below).
 */
export interface UnitPlan {
  /** a category whose default unit is the unit wanted */
  category: string;
  accepted: number;
  onTime: number;
  late: number;
}

/** Categories of content/tipoff-categories.yaml and their units: littering → hwc, illegal-parking → jjd, street-vending → cgj. */
export const RANKING_PLAN: UnitPlan[] = [
  { category: 'littering', accepted: 5, onTime: 5, late: 0 }, // hwc: 5 of 5, 样本不足
  { category: 'illegal-parking', accepted: 21, onTime: 20, late: 1 }, // jjd: 20 of 21
  { category: 'street-vending', accepted: 12, onTime: 9, late: 2 }, // cgj: 9 of 12, one still open
];

const office: StaffPrincipal = { kind: 'staff', staffId: 'ranking-office', username: 'ranking-office', role: 'office' };

export async function seedRanking(day: string, plan: UnitPlan[] = RANKING_PLAN): Promise<void> {
  const at = (hours: number) => new Date(Date.parse(`${day}T09:00:00+08:00`) + hours * 3_600_000);
  const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#888' } })
    .jpeg()
    .toBuffer();
  const toRectify: Array<[string, number]> = [];
  setClock(() => at(0));
  for (const p of plan) {
    for (let i = 0; i < p.accepted; i++) {
      const t = await submitTipoff(
        { kind: 'open311', client: 'ranking-test' },
        { categoryCode: p.category, description: '排名测试问题', lat: 29.87, lng: 121.55, anonymous: false },
      );
      await transitionTipoff(t._id, office, { action: 'accept' });
      if (i < p.onTime) toRectify.push([t._id, 6]);
      else if (i < p.onTime + p.late) toRectify.push([t._id, 72]);
    }
  }
  for (const hours of [6, 72]) {
    setClock(() => at(hours));
    for (const [id, h] of toRectify) {
      if (h !== hours) continue;
      const media = await storePhoto(photo, { kind: 'staff', id: office.staffId });
      await transitionTipoff(id, office, { action: 'rectify', photos: [media._id] });
    }
  }
}
