import { AppError, isDuplicateKey, notFound } from '../../core/errors';
import { isoLocal, now } from '../../core/time';
import { regionLabel } from '../regions/regions.service';
import { getStaff } from '../staff/staff.service';
import { rejectInterviewResponse, releaseInterviewResponse } from '../surveys/surveys.respond';
import { getSurvey } from '../surveys/surveys.service';
import { byIds, FieldCase, FieldGuard, HeldResponse, Household, Visit, type HouseholdDoc, type VisitDoc } from './fieldwork.model';
import type { InterviewView, ReviewInput } from './fieldwork.schema';

async function enumeratorNames(ids: string[]): Promise<Map<string, string>> {
  const found = await Promise.all(
    [...new Set(ids)].map((id) =>
      getStaff(id).then(
        (s) => [id, s.displayName || s.username] as const,
        () => [id, id] as const,
      ),
    ),
  );
  return new Map(found);
}

function present(v: VisitDoc, masked: Map<string, string>, names: Map<string, string>): InterviewView {
  return {
    id: v._id,
    surveyId: v.surveyId,
    regionCode: v.regionCode,
    community: regionLabel(v.regionCode),
    household: masked.get(v.householdId) ?? '',
    enumerator: { id: v.enumeratorId, name: names.get(v.enumeratorId) ?? v.enumeratorId },
    startedAt: isoLocal(v.startedAt),
    endedAt: isoLocal(v.endedAt),
    durationSeconds: Math.round((v.endedAt.getTime() - v.startedAt.getTime()) / 1000),
    questions: v.questions,
    distanceMeters: v.distanceMeters,
    flags: v.flags,
    review: v.review,
    reviewNote: v.reviewNote,
    reviewedBy: v.reviewedBy,
  };
}

async function presentAll(visits: VisitDoc[]): Promise<InterviewView[]> {
  const [households, names] = await Promise.all([
    byIds<HouseholdDoc>(
      Household,
      visits.map((v) => v.householdId),
    ),
    enumeratorNames(visits.map((v) => v.enumeratorId)),
  ]);
  const masked = new Map(households.map((h) => [h._id, h.masked]));
  return visits.map((v) => present(v, masked, names));
}

/**
 * GET /surveys/:id/fieldwork/interviews: completed interviews with their quality flags, for review.
 * Never the response: for an anonymous survey nothing here leads to the answers.
 */
export async function listInterviews(
  surveyId: string,
  q: { flagged?: 'true' | 'false'; review?: VisitDoc['review'] },
): Promise<{ items: InterviewView[] }> {
  await getSurvey(surveyId, { drafts: true });
  let visits = await Visit.find({ surveyId, outcome: 'completed' }).lean<VisitDoc[]>();
  if (q.flagged) visits = visits.filter((v) => v.flags.length > 0 === (q.flagged === 'true'));
  if (q.review) visits = visits.filter((v) => v.review === q.review);
  visits.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || (a._id < b._id ? -1 : 1));
  return { items: await presentAll(visits) };
}

/**
 * POST /fieldwork/interviews/:id/review: the office's decision on a flagged interview. Accepted:
 * its held response is counted now (once). Rejected: it stays out of every count and export. The
 * held link between interview and response is deleted with the decision. Decided once (a guard).
 */
export async function reviewInterview(id: string, input: ReviewInput, username: string): Promise<InterviewView> {
  const v = await Visit.findById(id).lean<VisitDoc>();
  if (!v || v.outcome !== 'completed') throw notFound('访问记录');
  if (v.review !== 'pending')
    throw new AppError('INVALID_TRANSITION', v.review === 'none' ? '该访问没有质量标记，无需审核' : '该访问已审核过了');
  try {
    await FieldGuard.create({ _id: `review:${id}` });
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError('INVALID_TRANSITION', '该访问已审核过了');
    throw err;
  }
  const decided = { review: input.decision, reviewNote: input.note ?? null, reviewedBy: username, reviewedAt: now() };
  try {
    const held = await HeldResponse.findById(id).lean<{ responseId: string }>();
    if (held) await (input.decision === 'accepted' ? releaseInterviewResponse(held.responseId) : rejectInterviewResponse(held.responseId));
    await Visit.updateOne({ _id: id }, { $set: decided });
  } catch (err) {
    // Nothing decided: the office may try again (releasing is idempotent by the response's hold).
    await FieldGuard.deleteOne({ _id: `review:${id}` }).catch(() => undefined);
    throw err;
  }
  await HeldResponse.deleteOne({ _id: id });
  await FieldCase.updateOne({ _id: `${v.surveyId}:${v.householdId}` }, { $set: { review: input.decision } });
  return (await presentAll([{ ...v, ...decided }]))[0]!;
}
