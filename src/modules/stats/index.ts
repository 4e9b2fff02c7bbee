import type { AppModule } from '../types';
import { statsRouter } from './stats.routes';

// What the briefs read: the same figures the dashboard shows.
export { noRate, type Rate } from './rates';
export type { StatsQuery } from './stats.schema';
export { getIndicatorStats, getParticipation, getTipoffs, getVolunteers } from './stats.service';

/**
 * The statistics the offices read (figures, reports, exports), on top: it reads the counters kernel
 * and the features only through their index.ts; the counters themselves are recorded below it.
 */
export const statsModule: AppModule = { name: 'stats', routers: [statsRouter] };
