import { CounterStore, ShardLeases, STATEMENTS_PER_COMMAND } from '../../core/store';
import { Counter } from './stats.model';

/** Update statements per command (the store's STATEMENTS_PER_COMMAND: why there). */
export const WRITE_CHUNK = STATEMENTS_PER_COMMAND;

/**
 * The one serialized writer of counters in this process (the store's CounterStore over
 * stat_counters): batched `$inc` flushed every second and at stop, written to this process's shard
 * so instances sharing a database never increment one document. Counters are caches:
 * `npm run stats:rebuild` recomputes them exactly.
 */
export const counterWriter = new CounterStore(Counter, new ShardLeases('stat_counters'));
