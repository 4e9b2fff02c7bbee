import { registerResidentGate } from '../../core/auth';
import { Resident } from './residents.model';

/**
 * A resident token counts only while its resident exists: 注销 deletes the resident, so every session
 * of a closed account reads as signed out. One point read by _id, remembered for a few seconds when
 * found; this instance forgets it the moment the account closes, another instance within the TTL.
 */
const TTL_MS = 5_000;
const seen = new Map<string, number>();

export async function residentExists(residentId: string): Promise<boolean> {
  const until = seen.get(residentId);
  if (until && until > Date.now()) return true;
  const found = Boolean(await Resident.exists({ _id: residentId }));
  if (seen.size > 50_000) seen.clear();
  if (found) seen.set(residentId, Date.now() + TTL_MS);
  else seen.delete(residentId);
  return found;
}

export function forgetResident(residentId: string): void {
  seen.delete(residentId);
}

registerResidentGate(residentExists);
