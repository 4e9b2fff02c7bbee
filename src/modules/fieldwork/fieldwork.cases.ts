import type { CaseDoc } from './fieldwork.model';
import type { CaseState, Outcome } from './fieldwork.schema';

/** After this many visits with no one at home, the household is a final non-contact (replaceable). */
export const MAX_NOT_HOME = 3;

/** Outcomes that end a household's fieldwork at once (a refusal, an empty flat, other with a note). */
const FINAL: readonly Outcome[] = ['completed', 'refused', 'vacant', 'other'];

export function isFinal(c: Pick<CaseDoc, 'outcome' | 'notHome'>): boolean {
  if (!c.outcome) return false;
  return FINAL.includes(c.outcome) || (c.outcome === 'not_home' && c.notHome >= MAX_NOT_HOME);
}

export function stateOf(c: CaseDoc): CaseState {
  return {
    outcome: c.outcome,
    visits: c.visits,
    final: isFinal(c) || Boolean(c.replacedBy),
    replacedBy: c.replacedBy,
    replacementFor: c.replacementFor,
  };
}
