import { logger } from '../../core/logger';
import { insertInCommands } from '../../core/store';
import { regionKey } from './counter-keys';
import { clearCounterCache } from './counter-reader';
import { counterWriter } from './counter-writer';
import { gapEntries, ResidentDays, type Days, type Scope } from './participation-days';
import { participationEffects, participationMarkerIds, responseEffects } from './counters.recorder';
import { IndicatorResponse, Marker, Participation, type IndicatorResponseDoc, type ParticipationDoc } from './stats.model';

export type Emit = (id: string, field: string, delta: number) => void;
/** A module whose counters live in stat_counters contributes them to the rebuild from its source records. */
export type CounterSource = (emit: Emit) => Promise<void>;

const sources = new Map<string, CounterSource>();

/**
 * The module list hands over every feature's declared counters (`counters` in its manifest) once,
 * so the kernel rebuilds them without importing any feature. Registering again replaces by name.
 */
export function registerCounterSources(modules: ReadonlyArray<{ name: string; counters?: CounterSource }>): void {
  for (const m of modules) if (m.counters) sources.set(m.name, m.counters);
}

function setPath(target: Record<string, unknown>, path: string, delta: number): void {
  const parts = path.split('.');
  let node = target;
  for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
  const leaf = parts[parts.length - 1]!;
  node[leaf] = ((node[leaf] as number | undefined) ?? 0) + delta;
}

/** Keeps each resident's earliest act per day and scope; participations arrive sorted by (at, _id). */
function addDay(all: Map<string, Record<string, Days>>, p: ParticipationDoc): void {
  let d = all.get(p.residentId);
  if (!d) all.set(p.residentId, (d = {}));
  for (const scope of ['all', p.kind]) {
    const days = (d[scope] ??= {});
    days[p.day] ??= [p.at.getTime(), p._id, regionKey(p.regionCode)];
  }
}

export interface RebuildReport {
  participations: number;
  responses: number;
  counters: number;
  markers: number;
}

/**
 * Recomputes every counter and marker exactly from the source records. Run it with
 * writers stopped (or accept that acts recorded during the rebuild are counted at the next one).
 */
export async function rebuildCounters(
  progress: (stage: string, done: number, total: number) => void = () => undefined,
): Promise<RebuildReport> {
  await counterWriter.flush();
  const counters = new Map<string, Record<string, unknown>>();
  const emit: Emit = (id, field, delta) => {
    let c = counters.get(id);
    if (!c) counters.set(id, (c = {}));
    setPath(c, field, delta);
  };

  const markers = new Set<string>();
  const residentDays = new Map<string, Record<string, Days>>();
  const total = await Participation.estimatedDocumentCount();
  let n = 0;
  const parts = await Participation.find().lean<ParticipationDoc[]>();
  parts.sort((a, b) => a.at.getTime() - b.at.getTime() || (a._id < b._id ? -1 : 1));
  for (const p of parts) {
    const fresh = new Set(participationMarkerIds(p.residentId, p.kind, p.day).filter((m) => !markers.has(m)));
    for (const m of fresh) markers.add(m);
    for (const [id, f, d] of participationEffects({ ...p, regionCode: p.regionCode ?? null }, (m) => fresh.has(m))) emit(id, f, d);
    addDay(residentDays, p);
    if (++n % 5000 === 0) progress('participations', n, total);
  }
  progress('participations', n, total);

  for (const d of residentDays.values())
    for (const [scope, days] of Object.entries(d)) for (const [id, f, x] of gapEntries(scope as Scope, days)) emit(id, f, x);
  const responses = await IndicatorResponse.find().lean<IndicatorResponseDoc[]>();
  for (const r of responses) for (const [id, f, d] of responseEffects(r)) emit(id, f, d);
  progress('responses', responses.length, responses.length);

  for (const [name, source] of sources) {
    await source(emit);
    progress(name, 1, 1);
  }

  // Every shard's documents go; each counter is written once, as its plain id.
  await counterWriter.replaceAll(counters, (d) => progress('writing counters', d, counters.size));
  await Marker.deleteMany({});
  await insertInCommands(
    Marker,
    [...markers].map((_id) => ({ _id })),
    (d) => progress('writing markers', d, markers.size),
  );
  await ResidentDays.deleteMany({});
  await insertInCommands(
    ResidentDays,
    [...residentDays].map(([_id, d]) => ({ _id, d })),
  );
  clearCounterCache();
  const report = { participations: parts.length, responses: responses.length, counters: counters.size, markers: markers.size };
  logger.info(report, 'counters rebuilt');
  return report;
}
