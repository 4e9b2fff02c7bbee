import { logger } from '../../core/logger';
import { rebuildCounters } from '../counters';

/**
 * After a run that did not stop gracefully: its unwritten counter deltas (up to a second of acts)
 * died with it, so the counters are rebuilt exactly from the source records now, not at the nightly
 * reconciliation. The caller runs this before the process records anything (see main.ts), so no
 * act of this process happens during the rewrite.
 */
export async function recoverCounters(runs: Array<{ _id: string; host: string; pid: number; beatAt: Date }>): Promise<void> {
  const t0 = Date.now();
  logger.warn(
    { runs: runs.map((r) => ({ id: r._id, lastSeen: r.beatAt })) },
    'a previous run did not stop cleanly; rebuilding the statistics counters',
  );
  const report = await rebuildCounters();
  logger.warn({ ...report, ms: Date.now() - t0 }, 'statistics counters rebuilt after an unclean stop');
}
