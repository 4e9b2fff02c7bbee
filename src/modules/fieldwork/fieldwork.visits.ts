import crypto from 'node:crypto';
import { AppError, forbidden, isDuplicateKey, notFound } from '../../core/errors';
import { keyedSerializer } from '../../core/store';
import { now } from '../../core/time';
import type { Question } from '../questionnaire/questionnaire.schema';
import type { ResponseDoc, SurveyDoc } from '../surveys/surveys.model';
import { storeInterviewResponse, validateAnswers } from '../surveys/surveys.respond';
import { getSurvey, isOpen } from '../surveys/surveys.service';
import { isFinal, stateOf } from './fieldwork.cases';
import { FieldCase, FieldGuard, HeldResponse, Visit, type CaseDoc, type VisitDoc } from './fieldwork.model';
import { distanceFromCommunity, qualityFlags } from './fieldwork.quality';
import type { Flag, VisitInput, VisitResult } from './fieldwork.schema';

/** One writer per household's fieldwork record in this process (its updates are read-modify-write). */
const serialized = keyedSerializer();

/** Clocks on phones drift: an interview may say it ended up to this long in the future. */
const CLOCK_SKEW_MS = 10 * 60_000;
/** `respondent` keys as the survey's demographic questions name them (ageBand is the age question). */
const DEMOGRAPHIC_ALIASES: Record<string, string> = {
  ageBand: 'age',
  age: 'age',
  gender: 'gender',
  occupation: 'occupation',
  education: 'education',
};

const visitId = () => `v${crypto.randomBytes(12).toString('hex')}`;
const caseId = (surveyId: string, householdId: string) => `${surveyId}:${householdId}`;

async function claim(id: string): Promise<boolean> {
  try {
    await FieldGuard.create({ _id: id });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

function checkTimes(input: VisitInput): { startedAt: Date; endedAt: Date } {
  const startedAt = new Date(input.startedAt);
  const endedAt = new Date(input.endedAt);
  if (endedAt < startedAt)
    throw new AppError('VALIDATION_FAILED', '结束时间早于开始时间，请检查手机时间', [
      { path: 'endedAt', message: '结束时间不能早于开始时间' },
    ]);
  if (endedAt.getTime() > now().getTime() + CLOCK_SKEW_MS)
    throw new AppError('VALIDATION_FAILED', '访问时间晚于当前时间，请检查手机时间', [{ path: 'endedAt', message: '时间在未来' }]);
  return { startedAt, endedAt };
}

/**
 * The interview's answers with the respondent's demographics put on the survey's demographic
 * questions, and the community question (if any) answered with the household's community.
 */
function interviewAnswers(survey: SurveyDoc, input: VisitInput, regionCode: string): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...(input.answers ?? {}) };
  const byDemographic = new Map<string, Question>(survey.questions.filter((q) => q.demographic).map((q) => [q.demographic!, q]));
  for (const [key, value] of Object.entries(input.respondent ?? {})) {
    const q = byDemographic.get(DEMOGRAPHIC_ALIASES[key] ?? key);
    if (!q)
      throw new AppError('VALIDATION_FAILED', `问卷中没有「${key}」这道受访者信息题`, [
        { path: `respondent.${key}`, message: '问卷中没有这道人口学题目' },
      ]);
    raw[q.id] ??= value;
  }
  const community = byDemographic.get('community');
  if (community) raw[community.id] = regionCode;
  return raw;
}

/** The drawn household this reserve household replaces: checked, then claimed once. */
async function applyReplacement(c: CaseDoc, input: VisitInput): Promise<void> {
  const r = input.replacement!;
  if (c.role !== 'reserve') throw new AppError('CONFLICT', '只有备用户可以作为替换户');
  if (c.replacementFor) {
    if (c.replacementFor === r.forHouseholdId) return;
    throw new AppError('CONFLICT', '该备用户已替换了另一户');
  }
  const target = await FieldCase.findById(caseId(c.surveyId, r.forHouseholdId)).lean<CaseDoc>();
  if (!target || target.regionCode !== c.regionCode) throw new AppError('CONFLICT', '被替换的住户不在同一社区的样本中');
  if (target.role !== 'sample' && !target.replacementFor)
    throw new AppError('CONFLICT', '只能替换样本户（或已启用的替换户），不能替换未启用的备用户');
  if (target.outcome === 'completed') throw new AppError('CONFLICT', '被替换的住户已完成访问，不需要替换');
  if (!isFinal(target)) throw new AppError('CONFLICT', '被替换的住户尚无最终结果（拒访、空户、其他，或多次无人在家），暂不能替换');
  if (!(await claim(`replaced:${c.surveyId}:${target.householdId}`))) throw new AppError('CONFLICT', '该户已经被替换过了');
  await FieldCase.updateOne({ _id: target._id }, { $set: { replacedBy: c.householdId } });
  await FieldCase.updateOne({ _id: c._id }, { $set: { replacementFor: target.householdId, replacementReason: r.reason } });
  c.replacementFor = target.householdId;
}

interface Completed {
  responseId: string;
  flags: Flag[];
  questions: number;
}

/** A completed interview: answers validated, flags computed, one response per household (the done guard). */
/** A completed interview's answers, validated as a resident's would be (before anything is written). */
function checkAnswers(survey: SurveyDoc, input: VisitInput, regionCode: string): ResponseDoc['answers'] {
  if (!input.answers || !Object.keys(input.answers).length)
    throw new AppError('VALIDATION_FAILED', '完成的访问须附上答卷', [{ path: 'answers', message: '请填写问卷' }]);
  return validateAnswers(survey, interviewAnswers(survey, input, regionCode));
}

async function completeInterview(
  survey: SurveyDoc,
  c: CaseDoc,
  input: VisitInput & { checked: ResponseDoc['answers'] },
  enumeratorId: string,
  times: { startedAt: Date; endedAt: Date },
  id: string,
): Promise<Completed> {
  const answers = input.checked;
  const flags = await qualityFlags({
    enumeratorId,
    regionCode: c.regionCode,
    ...times,
    position: input.position,
    questions: survey.questions as Question[],
    answers,
  });
  const guard = `done:${survey._id}:${c.householdId}`;
  if (!(await claim(guard))) throw new AppError('HOUSEHOLD_DONE', '该户已完成访问，不能重复提交');
  try {
    const responseId = await storeInterviewResponse(survey, answers, {
      regionCode: c.regionCode,
      at: times.endedAt,
      held: flags.length > 0,
    });
    if (flags.length) await HeldResponse.create({ _id: id, responseId });
    return { responseId, flags, questions: survey.questions.length };
  } catch (err) {
    await FieldGuard.deleteOne({ _id: guard }).catch(() => undefined); // let the enumerator sync it again
    throw err;
  }
}

/**
 * POST /fieldwork/visits: one visit to an assigned household, synced (possibly long after, from an
 * offline phone) under its own Idempotency-Key. Completed: a household response through the surveys
 * module; a household completed before answers 409 HOUSEHOLD_DONE. Replacements come from the
 * community's reserve only, for a drawn household whose outcome is a final non-completion.
 */
export async function recordVisit(enumeratorId: string, input: VisitInput): Promise<VisitResult> {
  const survey = await getSurvey(input.surveyId, { drafts: true });
  const times = checkTimes(input);
  if (!isOpen(survey, times.startedAt)) throw new AppError('SURVEY_CLOSED', '访问开始时问卷未开放，不能记录');
  return serialized(caseId(input.surveyId, input.householdId), async () => {
    const c = await FieldCase.findById(caseId(input.surveyId, input.householdId)).lean<CaseDoc>();
    if (!c) throw notFound('本问卷样本中的该住户');
    if (c.enumeratorId !== enumeratorId) throw forbidden('该户未分派给您');
    if (c.outcome === 'completed') throw new AppError('HOUSEHOLD_DONE', '该户已完成访问，不能重复提交');
    if (c.replacedBy) throw new AppError('CONFLICT', '该户已由备用户替换，不再访问');
    const checked = input.outcome === 'completed' ? checkAnswers(survey, input, c.regionCode) : [];
    if (input.replacement) await applyReplacement(c, input);
    else if (c.role === 'reserve' && !c.replacementFor)
      throw new AppError('CONFLICT', '备用户只能用来替换样本户：请注明替换哪一户（replacement.forHouseholdId）及原因');

    const id = visitId();
    const done =
      input.outcome === 'completed' ? await completeInterview(survey, c, { ...input, checked }, enumeratorId, times, id) : undefined;
    const review = !done ? 'none' : done.flags.length ? 'pending' : 'none';
    const visit: VisitDoc = {
      _id: id,
      surveyId: survey._id,
      householdId: c.householdId,
      regionCode: c.regionCode,
      enumeratorId,
      outcome: input.outcome,
      note: input.note ?? null,
      ...times,
      position: input.position ?? null,
      distanceMeters: distanceFromCommunity(c.regionCode, input.position),
      questions: done?.questions ?? 0,
      flags: done?.flags ?? [],
      review,
      reviewNote: null,
      reviewedBy: null,
      reviewedAt: null,
      // An anonymous survey's visit never names its response.
      ...(done && !survey.anonymous ? { responseId: done.responseId } : {}),
      syncedAt: now(),
    };
    await Visit.create(visit);
    const set = { outcome: input.outcome, ...(done ? { review } : {}) };
    const inc = { visits: 1, ...(input.outcome === 'not_home' ? { notHome: 1 } : {}) };
    await FieldCase.updateOne({ _id: c._id }, { $set: set, $inc: inc });
    const after: CaseDoc = { ...c, ...set, visits: c.visits + 1, notHome: c.notHome + (inc.notHome ?? 0) } as CaseDoc;
    return {
      id,
      householdId: c.householdId,
      surveyId: survey._id,
      outcome: input.outcome,
      flags: visit.flags,
      review,
      household: stateOf(after),
    };
  });
}
