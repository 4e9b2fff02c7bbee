import { counterIds, type CounterSource } from '../counters';
import type { AppModule } from '../types';
import './residents.gate'; // a closed account's sessions end at once
import './residents.moderation'; // how moderation applies a held nickname
import { PointsEntry, Resident } from './residents.model';
import { residentsRetention } from './residents.retention';
import { linkRouter, residentsRouter } from './residents.routes';

/** Residents known per community and each resident's points, recomputed from their source records. */
const residentCounters: CounterSource = async (emit) => {
  for (const r of await Resident.find({}, { regionCode: 1 }).lean()) if (r.regionCode) emit(counterIds.known(r.regionCode), 'n', 1);
  for (const p of await PointsEntry.find({}, { residentId: 1, points: 1 }).lean())
    emit(counterIds.resident(p.residentId), 'points', p.points);
};

export { forgetResident } from './residents.gate';

export const residentsModule: AppModule = {
  name: 'residents',
  routers: [residentsRouter, linkRouter],
  retention: residentsRetention,
  counters: residentCounters,
};

// What the bot (bots/) uses of this module.
export { type IdentityChannel } from './residents.model';
export { type ResidentDoc, findResidentByIdentity, getMe, getResident, residentForIdentity, updateResident } from './residents.service';
