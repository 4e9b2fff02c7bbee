import path from 'node:path';
import mongoose from 'mongoose';
import { Client } from './client';
import { quantile, runLoad, type LoadResult, type Req } from './load';
import type { Check } from './report';
import { staffTokens, startService, withDb, type ServiceMode } from './servers';
import { dayKey } from '../../src/core/time';
import { OPEN_REFRESH_MS, searchText } from '../../src/modules/tipoffs/tipoffs.lists';

/** Targets of the triage table at a city's scale (issue 16). */
export const TRIAGE_PAGE_P95_MS = 500;
export const TRIAGE_NUMBER_P95_MS = 100;
export const TRIAGE_TIPOFFS = 50_000;
/** The unfinished share: what tipoff_open holds (a city's backlog, not its archive). */
const OPEN_SHARE = 0.1;
const DAYS = 60;
const BATCH = 1000;

interface Options {
  uri: string;
  runId: string;
  workDir: string;
  logDir: string;
  quick: boolean;
  mode: ServiceMode;
  log: (line: string) => void;
}

interface Sample {
  samples: number;
  p50: number;
  p95: number;
  max: number;
}
export interface TriageCase {
  id: string;
  label: string;
  path: string;
  /** one request at a time, each past OPEN_REFRESH_MS: a background re-read of tipoff_open runs beside each */
  cold: Sample;
  /** one request at a time, back to back */
  sequential: Sample;
  /** 20 connections */
  loaded: Pick<LoadResult, 'rps' | 'p50' | 'p95' | 'p99'> & { notOk: number };
  targetMs: number;
}
export interface TriageResult {
  tipoffs: number;
  open: number;
  seedSeconds: number;
  cases: TriageCase[];
  checks: Check[];
  table: string;
}

type Community = { code: string; path: string[] };
type Node = { code: string; level: string; children: Node[] };
function communities(tree: Node[], up: string[] = []): Community[] {
  return tree.flatMap((n) => (n.children.length ? communities(n.children, [...up, n.code]) : [{ code: n.code, path: [...up, n.code] }]));
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const WORDS = ['垃圾堆放', '共享单车乱停', '占道经营', '小广告', '噪音扰民', '井盖破损', '绿化带踩踏', '违章搭建', '污水外溢', '路灯不亮'];

/**
 * Seeds `n` tip-offs straight into tipoffs, tipoff_open and tipoff_days with insertMany (the indexes
 * the service keeps), spread over the last DAYS days: the most recent OPEN_SHARE unfinished, the rest
 * closed. Minutes, not the hours that n submissions over HTTP would take.
 */
async function seed(
  db: mongoose.mongo.Db,
  n: number,
  places: Community[],
  categories: Array<{ code: string; unitCode: string; deadlineHours: number }>,
  log: (l: string) => void,
): Promise<{ ids: string[]; open: number }> {
  const now = Date.now();
  const ids: string[] = [];
  const days = new Map<string, Array<{ id: string; text: string }>>();
  let open = 0;
  let t = now - DAYS * 86_400_000;
  const step = (DAYS * 86_400_000) / n;
  for (let start = 0; start < n; start += BATCH) {
    const tipoffs: Record<string, unknown>[] = [];
    const queue: Record<string, unknown>[] = [];
    for (let i = start; i < Math.min(n, start + BATCH); i++) {
      t += step;
      const at = new Date(t);
      const c = categories[i % categories.length]!;
      const place = places[(i * 7) % places.length]!;
      // Unique by construction: i written in base 32 (6 digits hold a billion).
      const id = `T${dayKey(at).slice(2).replace(/-/g, '')}${Array.from({ length: 6 }, (_, k) => ALPHABET[Math.floor(i / 32 ** (5 - k)) % 32]).join('')}`;
      const unfinished = i >= n * (1 - OPEN_SHARE);
      const status = unfinished ? (['submitted', 'assigned', 'assigned', 'assigned', 'rectified'] as const)[i % 5]! : 'closed';
      const accepted = status !== 'submitted' ? new Date(t + 3600_000) : null;
      const deadlineAt = accepted ? new Date(accepted.getTime() + c.deadlineHours * 3600_000) : null;
      const description = `${WORDS[i % WORDS.length]}，第 ${i} 号路段附近`;
      const doc = {
        _id: id,
        status,
        seq: status === 'submitted' ? 0 : 2,
        categoryCode: c.code,
        description,
        location: { lat: 29.87 + (i % 100) / 10_000, lng: 121.56 + (i % 97) / 10_000, address: `湖滨路 ${i % 500} 号` },
        regionCode: place.code,
        regionPath: place.path,
        unitCode: c.unitCode,
        photos: [],
        afterPhotos: [],
        source: 'resident',
        reporterId: null,
        anonymous: false,
        reporterRegionCode: null,
        open311Client: null,
        externalMediaUrl: null,
        possibleDuplicateOf: null,
        duplicateCandidates: [],
        mergedInto: null,
        request: null,
        createdAt: at,
        updatedAt: at,
        acceptedAt: accepted,
        deadlineAt,
        rectifiedAt: null,
        closedAt: status === 'closed' ? new Date(t + 86_400_000) : null,
        history: [
          { action: 'submit', from: null, to: 'submitted', at, actor: { kind: 'resident' }, note: null, unitCode: null, photos: [] },
        ],
      };
      tipoffs.push(doc);
      if (unfinished) {
        open++;
        queue.push({ _id: id, status, categoryCode: c.code, regionPath: place.path, unitCode: c.unitCode, createdAt: at, deadlineAt });
      }
      const day = dayKey(at);
      days.set(day, [
        ...(days.get(day) ?? []),
        { id, text: searchText({ _id: id, description, location: doc.location, regionCode: place.code } as never) },
      ]);
      ids.push(id);
    }
    await db.collection('tipoffs').insertMany(tipoffs as never[], { ordered: false });
    if (queue.length) await db.collection('tipoff_open').insertMany(queue as never[], { ordered: false });
    log(`seeding tip-offs: ${Math.min(n, start + BATCH).toLocaleString('en')} / ${n.toLocaleString('en')}`);
  }
  await db.collection('tipoff_days').insertMany([...days].map(([_id, items]) => ({ _id, items })) as never[], { ordered: false });
  log(`seeded ${days.size} day search documents`);
  return { ids, open };
}

/** Requests one at a time; `gapMs` apart lets the queue copy age, so each request also starts its re-read. */
async function sequential(url: string, next: () => Req, samples: number, gapMs = 0): Promise<Sample> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
    const req = next();
    const t = process.hrtime.bigint();
    const res = await fetch(url + req.path, { headers: req.headers });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${req.path}: ${res.status} ${body.slice(0, 300)}`);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const r1 = (v: number) => Math.round(v * 10) / 10;
  return { samples, p50: r1(quantile(times, 0.5)), p95: r1(quantile(times, 0.95)), max: r1(times[times.length - 1]!) };
}

/**
 * The triage table on 50,000 tip-offs: a filtered, sorted first page (tipoff_open) and a search by
 * number (one point read), each one request at a time and with 20 connections.
 */
export async function runTriageScale(o: Options): Promise<TriageResult> {
  const db = `bench_triage_${o.runId}`;
  const service = await startService('service-triage', o.uri, db, path.join(o.workDir, 'triage'), o.logDir, o.mode);
  const conn = await mongoose.mongo.MongoClient.connect(withDb(o.uri, db));
  try {
    const client = new Client(service.url);
    const { office } = await staffTokens(client);
    const places = communities(await client.expect<Node[]>(200, 'GET', '/api/v1/regions'));
    const categories = await client.expect<Array<{ code: string; unitCode: string; deadlineHours: number }>>(
      200,
      'GET',
      '/api/v1/tipoff-categories',
    );
    const started = Date.now();
    const { ids, open } = await seed(conn.db(db), TRIAGE_TIPOFFS, places, categories, o.log);
    const seedSeconds = Math.round((Date.now() - started) / 100) / 10;
    const headers = { authorization: `Bearer ${office}` };
    const district = places[0]!.path[1] ?? places[0]!.code;
    let k = 0;
    const cases = [
      {
        id: 'triage-page',
        label: 'triage: first page, 处置中 in a district, by deadline',
        targetMs: TRIAGE_PAGE_P95_MS,
        next: (): Req => ({
          method: 'GET',
          path: `/api/v1/tipoffs/triage?status=assigned&region=${district}&sort=deadline&pageSize=20`,
          headers,
        }),
      },
      {
        id: 'triage-number',
        label: 'triage: search by number',
        targetMs: TRIAGE_NUMBER_P95_MS,
        next: (): Req => ({ method: 'GET', path: `/api/v1/tipoffs/triage?q=${ids[(k++ * 7919) % ids.length]}`, headers }),
      },
    ];
    const out: TriageCase[] = [];
    for (const c of cases) {
      await sequential(service.url, c.next, 3); // warm-up
      const cold = await sequential(service.url, c.next, o.quick ? 6 : 20, OPEN_REFRESH_MS + 200);
      const seq = await sequential(service.url, c.next, o.quick ? 30 : 100);
      o.log(`${c.id}: spaced p95 ${cold.p95} ms; one at a time p95 ${seq.p95} ms; now 20 connections …`);
      const loaded = await runLoad(service.url, { amount: o.quick ? 100 : 500 }, c.next);
      // Under load a request may outlast REQUEST_DEADLINE_MS (503): counted and shown, not hidden.
      const bad =
        loaded.errors +
        Object.entries(loaded.statuses)
          .filter(([s]) => s !== '200')
          .reduce((m, [, n]) => m + n, 0);
      out.push({
        id: c.id,
        label: c.label,
        path: c.next().path.replace(/T\d{6}\w{6}/, 'T…'),
        cold,
        sequential: seq,
        loaded: { rps: loaded.rps, p50: loaded.p50, p95: loaded.p95, p99: loaded.p99, notOk: bad },
        targetMs: c.targetMs,
      });
      o.log(
        `${c.id}: spaced p95 ${cold.p95} ms; one at a time p95 ${seq.p95} ms; 20 connections ${loaded.rps} req/s, p95 ${loaded.p95} ms`,
      );
    }
    const checks: Check[] = out.map((c) => ({
      name: `${c.label} (${TRIAGE_TIPOFFS.toLocaleString('en')} tip-offs)`,
      target: `p95 < ${c.targetMs} ms`,
      measured: `${c.cold.p95} ms spaced past the refresh, ${c.sequential.p95} ms one at a time; ${c.loaded.p95} ms with 20 connections${c.loaded.notOk ? ` (${c.loaded.notOk} not 200)` : ''}`,
      // Spaced requests are what an office user clicking now and then sees: both must meet the target.
      pass: Math.max(c.cold.p95, c.sequential.p95) < c.targetMs,
    }));
    const table = [
      `triage at scale (${TRIAGE_TIPOFFS.toLocaleString('en')} tip-offs, ${open.toLocaleString('en')} unfinished; seeded in ${seedSeconds} s)`,
      ...out.map(
        (c) =>
          `  ${c.label}: spaced past the refresh p50 ${c.cold.p50} ms, p95 ${c.cold.p95} ms; one at a time p50 ${c.sequential.p50} ms, p95 ${c.sequential.p95} ms; 20 connections ${c.loaded.rps.toFixed(0)} req/s, p95 ${c.loaded.p95} ms${c.loaded.notOk ? `, ${c.loaded.notOk} not 200` : ''}`,
      ),
    ].join('\n');
    return { tipoffs: TRIAGE_TIPOFFS, open, seedSeconds, cases: out, checks, table };
  } finally {
    await service.stop();
    await conn
      .db(db)
      .dropDatabase()
      .catch(() => undefined);
    await conn.close();
  }
}
