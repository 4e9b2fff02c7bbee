import type { AppModule } from '../types';
import { open311ErrorFormat, open311NotFound, open311Router } from './open311.routes';
import { tipoffCounterSource } from './tipoffs.counters';
import { tipoffJobs } from './tipoffs.jobs';
import { tipoffRetention } from './tipoffs.retention';
import './tipoffs.moderation'; // how moderation hides, releases and rejects a tip-off
import { tipoffsRouter } from './tipoffs.routes';
import { mayViewTipoff } from './tipoffs.service';

// What the statistics and the map read: the tip-off counters and the status names.
export { RECTIFIED, tipoffCounterId } from './tipoffs.counters';
export { statusNames } from './tipoffs.schema';

/** 随手拍: report, route, rectify, close — and Open311 GeoReport v2 for city systems. */
export const tipoffsModule: AppModule = {
  name: 'tipoffs',
  routers: [tipoffsRouter, open311Router],
  fallback: open311NotFound,
  errorFormat: open311ErrorFormat,
  jobs: tipoffJobs,
  counters: tipoffCounterSource,
  participation: [{ kind: 'tipoff', name: '随手拍', summary: { key: 'tipoffs', label: '随手拍', order: 3 } }],
  // A tip-off's photos are seen by whoever may see the tip-off: its reporter, the office, its unit.
  mediaAccess: [{ ownerKind: 'tipoff', mayView: mayViewTipoff }],
  retention: tipoffRetention,
};

// What the bot (bots/) uses of this module.
export { listMyTipoffs } from './tipoffs.lists';
export { shortTime } from './tipoffs.notify';
export { MAX_PHOTOS, locate, submitTipoff } from './tipoffs.service';
export { TIPOFF_ACCEPT_POINTS } from './tipoffs.transitions';
