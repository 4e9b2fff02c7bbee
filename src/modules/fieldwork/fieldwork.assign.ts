import { AppError, notFound } from '../../core/errors';
import { now } from '../../core/time';
import { regionLabel } from '../regions/regions.service';
import { getStaff, listStaff } from '../staff/staff.service';
import { getSurvey, presentSurvey } from '../surveys/surveys.service';
import { stateOf } from './fieldwork.cases';
import { getDraw } from './fieldwork.draw';
import { fullAddress, openAddress } from './fieldwork.frame';
import { byIds, FieldCase, Household, type CaseDoc, type HouseholdDoc } from './fieldwork.model';
import type { AssignInput } from './fieldwork.schema';

const collator = new Intl.Collator('zh-Hans-CN', { numeric: true });

async function requireEnumerator(id: string): Promise<string> {
  const s = await getStaff(id).catch(() => undefined);
  if (!s || s.role !== 'enumerator')
    throw new AppError('VALIDATION_FAILED', `账号 ${id} 不是调查员，请先在账号管理中创建调查员账号`, [
      { path: 'enumeratorId', message: '不是调查员账号' },
    ]);
  if (s.disabled) throw new AppError('VALIDATION_FAILED', `调查员 ${id} 的账号已停用`, [{ path: 'enumeratorId', message: '账号已停用' }]);
  return s._id;
}

/**
 * POST /surveys/:id/fieldwork/assignments: drawn households (sample or reserve) to one enumerator.
 * Reassigning moves the household to the new enumerator; its visits so far stay as they were.
 */
export async function assignHouseholds(surveyId: string, input: AssignInput): Promise<{ assigned: number; reassigned: number }> {
  await getSurvey(surveyId, { drafts: true });
  const enumeratorId = await requireEnumerator(input.enumeratorId);
  let ids: string[];
  if (input.regionCode) {
    const draw = await getDraw(surveyId, input.regionCode);
    if (!draw) throw notFound(`${regionLabel(input.regionCode)}的抽样结果`);
    ids = [...draw.sample, ...draw.reserve].map((x) => x.id);
  } else ids = [...new Set(input.householdIds!)];
  const cases = new Map(
    (
      await byIds<CaseDoc>(
        FieldCase,
        ids.map((h) => `${surveyId}:${h}`),
      )
    ).map((c) => [c.householdId, c]),
  );
  const missing = ids.filter((h) => !cases.has(h));
  if (missing.length)
    throw new AppError(
      'VALIDATION_FAILED',
      `有 ${missing.length} 户不在本问卷的抽样结果中（如 ${missing[0]}）`,
      missing.map((h) => ({ path: 'householdIds', message: `${h} 未被抽中` })),
    );
  const at = now();
  let reassigned = 0;
  for (const h of ids) {
    const c = cases.get(h)!;
    if (c.enumeratorId === enumeratorId) continue;
    if (c.enumeratorId) reassigned++;
    await FieldCase.updateOne({ _id: c._id }, { $set: { enumeratorId, assignedAt: at } });
  }
  return { assigned: ids.length, reassigned };
}

/**
 * GET /fieldwork/my-assignments: what the work page caches for offline use — each survey the caller
 * has households in, as residents see it, and those households with their full addresses.
 */
export async function myAssignments(enumeratorId: string) {
  const cases = await FieldCase.find({ enumeratorId }).lean<CaseDoc[]>();
  const bySurvey = new Map<string, CaseDoc[]>();
  for (const c of cases) bySurvey.set(c.surveyId, [...(bySurvey.get(c.surveyId) ?? []), c]);
  const households = new Map(
    (
      await byIds<HouseholdDoc>(
        Household,
        cases.map((c) => c.householdId),
      )
    ).map((h) => [h._id, h]),
  );
  const items = [];
  for (const [surveyId, list] of [...bySurvey].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const survey = await getSurvey(surveyId, { drafts: true }).catch(() => undefined);
    if (!survey) continue;
    items.push({
      survey: presentSurvey(survey),
      // Community, then the sample before the reserve, then in address order: the order of a walk.
      households: list
        .filter((c) => households.has(c.householdId))
        .map((c) => {
          const address = openAddress(households.get(c.householdId)!);
          return {
            id: c.householdId,
            regionCode: c.regionCode,
            community: regionLabel(c.regionCode),
            address: fullAddress(address),
            note: address.note,
            role: c.role,
            ...stateOf(c),
          };
        })
        .sort((a, b) =>
          a.regionCode !== b.regionCode
            ? a.regionCode < b.regionCode
              ? -1
              : 1
            : a.role !== b.role
              ? a.role === 'sample'
                ? -1
                : 1
              : collator.compare(a.address, b.address),
        ),
    });
  }
  return { items };
}

/** GET /fieldwork/enumerators: the enabled enumerator accounts the office can assign households to. */
export async function listEnumerators(): Promise<{ items: Array<{ id: string; name: string }> }> {
  const { items } = await listStaff();
  return {
    items: items
      .filter((s) => s.role === 'enumerator' && !s.disabled)
      .map((s) => ({ id: s._id, name: s.displayName || s.username }))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')),
  };
}
