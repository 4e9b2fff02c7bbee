import type { StaffGate } from '../../core/auth';
import { Staff, type StaffDoc } from './staff.model';

/**
 * Every staff request checks its account (enabled, session version, password change due): one
 * point read by _id, cached for a few seconds so a busy console costs about one read per account
 * per TTL. This instance forgets an account the moment it changes it; another instance of a
 * cluster sees the change within the TTL.
 */
const TTL_MS = 5_000;
const cache = new Map<string, { gate: StaffGate | undefined; until: number }>();

export async function staffGate(staffId: string): Promise<StaffGate | undefined> {
  const hit = cache.get(staffId);
  if (hit && hit.until > Date.now()) return hit.gate;
  const s = await Staff.findById(staffId, { disabled: 1, sessionVersion: 1, mustChangePassword: 1 }).lean<StaffDoc>();
  const gate = s
    ? { disabled: Boolean(s.disabled), sessionVersion: s.sessionVersion ?? 0, mustChangePassword: Boolean(s.mustChangePassword) }
    : undefined;
  if (cache.size > 10_000) cache.clear();
  cache.set(staffId, { gate, until: Date.now() + TTL_MS });
  return gate;
}

export function forgetStaffGate(staffId: string): void {
  cache.delete(staffId);
}
