import { regionLabel } from '../regions/regions.service';
import { marginOfError } from './fieldwork.margin';
import { getSurvey } from '../surveys/surveys.service';
import { FieldCase, Draw, type CaseDoc, type DrawDoc } from './fieldwork.model';
import type { Progress, ProgressCounts } from './fieldwork.schema';

const empty = (): ProgressCounts => ({
  frame: 0,
  drawn: 0,
  reserve: 0,
  issued: 0,
  contacted: 0,
  completed: 0,
  pendingReview: 0,
  rejected: 0,
  refused: 0,
  notHome: 0,
  vacant: 0,
  other: 0,
  notVisited: 0,
  replaced: 0,
  rr1: null,
  marginOfError: null,
});

/** One issued household's disposition into the counts (docs/fieldwork.md, the AAPOR mapping). */
function addCase(p: ProgressCounts, c: CaseDoc): void {
  p.issued++;
  if (c.visits > 0) p.contacted++;
  if (c.replacedBy) p.replaced++;
  switch (c.outcome) {
    case 'completed':
      if (c.review === 'rejected') p.rejected++;
      else p.completed++;
      if (c.review === 'pending') p.pendingReview++;
      break;
    case 'refused':
      p.refused++;
      break;
    case 'not_home':
      p.notHome++;
      break;
    case 'vacant':
      p.vacant++;
      break;
    case 'other':
      p.other++;
      break;
    default:
      p.notVisited++;
  }
}

/**
 * AAPOR RR1 = I / ((I + P) + (R + NC + O) + (UH + UO)): completed interviews (I) over every issued
 * household that is or may be eligible. No partial interviews are recorded (P = 0); refusals (R);
 * not at home is a non-contact (NC); other and rejected interviews are other non-interviews (O);
 * never visited is unknown eligibility (UH). Vacant households are not eligible and leave the base.
 * The margin of error is at p = 0.5 with the finite-population correction over the frame, from the
 * interviews that count (completed, not awaiting review).
 */
function finish(p: ProgressCounts): ProgressCounts {
  const base = p.completed + p.refused + p.notHome + p.other + p.rejected + p.notVisited;
  return { ...p, rr1: base ? p.completed / base : null, marginOfError: marginOfError(p.completed - p.pendingReview, p.frame) };
}

/** GET /surveys/:id/fieldwork/progress: per community and in total (an office read of one survey's records). */
export async function fieldworkProgress(surveyId: string): Promise<Progress> {
  await getSurvey(surveyId, { drafts: true });
  const [draws, cases] = await Promise.all([Draw.find({ surveyId }).lean<DrawDoc[]>(), FieldCase.find({ surveyId }).lean<CaseDoc[]>()]);
  const by = new Map<string, ProgressCounts>();
  for (const d of draws) by.set(d.regionCode, { ...empty(), frame: d.frameSize, drawn: d.sample.length, reserve: d.reserve.length });
  for (const c of cases) if (by.has(c.regionCode) && (c.role === 'sample' || c.replacementFor)) addCase(by.get(c.regionCode)!, c);
  const total = empty();
  for (const p of by.values())
    for (const k of Object.keys(total) as Array<keyof ProgressCounts>) if (k !== 'rr1' && k !== 'marginOfError') total[k] += p[k];
  const items = [...by]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([regionCode, p]) => ({ regionCode, name: regionLabel(regionCode), ...finish(p) }));
  return { surveyId, total: finish(total), items };
}
