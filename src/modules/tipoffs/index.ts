import { registerMediaAccess } from '../media/media.service';
import type { AppModule } from '../types';
import { open311ErrorFormat, open311NotFound, open311Router } from './open311.routes';
import { tipoffCounterSource } from './tipoffs.counters';
import { tipoffJobs } from './tipoffs.jobs';
import './tipoffs.moderation'; // how moderation hides, releases and rejects a tip-off
import { tipoffsRouter } from './tipoffs.routes';
import { mayViewTipoff } from './tipoffs.service';

// What the statistics and the map read: the tip-off counters and the status names.
export { RECTIFIED, tipoffCounterId } from './tipoffs.counters';
export { statusNames } from './tipoffs.schema';

// A tip-off's photos are seen by whoever may see the tip-off: its reporter, the office, its unit.
registerMediaAccess('tipoff', mayViewTipoff);

/** 随手拍: report, route, rectify, close — and Open311 GeoReport v2 for city systems. */
export const tipoffsModule: AppModule = { name: 'tipoffs', routers: [tipoffsRouter, open311Router], fallback: open311NotFound, errorFormat: open311ErrorFormat, jobs: tipoffJobs, counters: tipoffCounterSource };
