import mongoose from 'mongoose';
import { isDuplicateKey } from '../../core/errors';
import { logger } from '../../core/logger';
import { keyedSerializer } from '../../core/store';
import { now } from '../../core/time';
import { HelpOpen, HelpRequest } from '../helpdesk/helpdesk.model';
import { Media, type MediaDoc } from '../media/media.model';
import { deleteMedia } from '../media/media.service';
import { clearCounterCache, counterWriter } from '../counters';
import { Survey, SurveyGuard } from '../surveys/surveys.model';
import { guardIdOf } from '../surveys/surveys.service';
import { forgetRosters } from '../volunteers/roster-log';
import { ERASED_NAME } from './privacy.close';
import { Erasure, type ErasureDoc } from './privacy.model';

/**
 * Collections whose documents about the resident are personal through and through (who they are,
 * how to reach them, what they said): deleted, never kept anonymously.
 */
const DELETED = new Set([
  'resident_identities',
  'used_links',
  'consents',
  'volunteer_id_numbers',
  'tipoff_mine',
  'survey_guards',
  'dailyquiz_subscriptions',
  'dailyquiz_pushes',
  'quiz_open_attempts',
  'outbox_messages',
  'outbox_pending',
  'push_targets',
  'resident_reach',
  'message_reads',
  'moderation_openids',
  'help_requests',
  'idempotency_keys',
  'rate_limit_slots',
]);
/** Collections keyed by a channel identity (openid, bot contact): a document naming one is contact data. */
const CONTACT_KEYED = new Set([
  'bot_conversations',
  'bot_messages',
  'push_targets',
  'push_daily',
  'mp_followers',
  'mini_subscriptions',
  'resident_reach',
  'moderation_openids',
  'resident_identities',
]);
/** A requested nickname waiting for review is the nickname itself. */
const nicknameCase = (name: string, doc: Record<string, unknown>) =>
  name.startsWith('moderation_') && String(doc._id).startsWith('nickname:');
/** Fields that name a person: blanked in any object that belonged to the resident. */
const NAMING: Record<string, unknown> = { nickname: ERASED_NAME, name: ERASED_NAME, realName: ERASED_NAME, phoneMasked: '', phone: null };

type Doc = Record<string, unknown>;
const isPlain = (v: unknown): v is Doc => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** Every string of a document, and each part of a `a:b:c` key, for whole-token matching of contacts. */
function tokens(v: unknown, out: Set<string>): Set<string> {
  if (typeof v === 'string') {
    out.add(v);
    for (const part of v.split(':')) out.add(part);
  } else if (Array.isArray(v)) for (const x of v) tokens(x, out);
  else if (isPlain(v)) for (const [k, x] of Object.entries(v)) tokens(k, tokens(x, out));
  return out;
}

/**
 * A whole token (`wechaty:<contact>`, `g:<openid>:<template>`): one contact id may be the prefix of
 * another's. Handled-message ids are opaque and some channels embed the contact in them, so there a
 * long enough contact id counts anywhere (a stray match only forgets that a message was handled).
 */
function namesContact(name: string, json: string, doc: Doc, contacts: Set<string>): boolean {
  if (name === 'bot_messages') for (const c of contacts) if (c.length >= 8 && json.includes(c)) return true;
  const all = tokens(doc, new Set());
  return [...contacts].some((c) => all.has(c));
}

/**
 * The document with every occurrence of the resident id replaced by the stand-in id (ids, keys
 * such as `res:<id>` or `<survey>:<id>`, fields), and the naming fields of each object that held the
 * id blanked. Counters, markers and source records move together, so a rebuild equals them.
 */
function rekey(v: unknown, from: string, to: string): unknown {
  if (typeof v === 'string') return v.includes(from) ? v.split(from).join(to) : v;
  if (Array.isArray(v)) return v.map((x) => rekey(x, from, to));
  if (!isPlain(v)) return v; // dates, ObjectIds, binaries
  const owned = Object.values(v).some((x) => typeof x === 'string' && x.includes(from));
  const out: Doc = {};
  for (const [k, x] of Object.entries(v))
    out[k.includes(from) ? k.split(from).join(to) : k] = owned && k in NAMING ? NAMING[k] : rekey(x, from, to);
  return out;
}

async function sweepCollection(name: string, e: ErasureDoc, counts: Record<string, number>): Promise<void> {
  const rid = e.residentId!;
  const contacts = new Set(e.contacts);
  const coll = mongoose.connection.collection<Doc>(name);
  for await (const doc of coll.find({})) {
    const json = JSON.stringify(doc);
    const mine = json.includes(rid);
    const contact = CONTACT_KEYED.has(name) && contacts.size > 0 && namesContact(name, json, doc, contacts);
    if (!mine && !contact) continue;
    const filter = { _id: doc._id as never };
    if (contact || DELETED.has(name) || nicknameCase(name, doc)) {
      await coll.deleteOne(filter);
      counts.deleted = (counts.deleted ?? 0) + 1;
      continue;
    }
    const next = rekey(doc, rid, e._id) as Doc;
    if (next._id === doc._id) await coll.replaceOne(filter, next);
    else {
      await coll.insertOne(next).catch((err) => (isDuplicateKey(err) ? undefined : Promise.reject(err)));
      await coll.deleteOne(filter);
    }
    counts.anonymized = (counts.anonymized ?? 0) + 1;
  }
}

/** What a document sweep cannot see: photo files, guards keyed by an HMAC, indexes keyed by a request number. */
async function eraseAside(rid: string, counts: Record<string, number>): Promise<void> {
  const drafts = await Media.find({ 'uploader.id': rid, status: 'draft' }).lean<MediaDoc[]>();
  for (const m of drafts) await deleteMedia(m);
  counts.photosDeleted = drafts.length;
  for (const s of await Survey.find({}, { _id: 1, anonymous: 1 }).lean<Array<{ _id: string; anonymous: boolean }>>())
    await SurveyGuard.deleteOne({ _id: guardIdOf(s, rid) });
  for (const h of await HelpRequest.find({ residentId: rid }, { _id: 1 }).lean()) await HelpOpen.deleteOne({ _id: h._id });
}

async function sweep(e: ErasureDoc): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await counterWriter.flush(); // the resident's pending counter deltas land before their documents move
  await eraseAside(e.residentId!, counts);
  const db = mongoose.connection.db!;
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((n) => n !== Erasure.collection.collectionName && !n.startsWith('system.'));
  for (const name of names.sort()) await sweepCollection(name, e, counts);
  // This process's caches read the moved documents again (rosters hold names and resident ids).
  forgetRosters();
  clearCounterCache();
  return counts;
}

const serialized = keyedSerializer();

/**
 * The erasure job: finishes every pending 注销 (normally within 15 minutes of it, at the latest
 * within 24 hours). Reads every collection once per closure: closures are rare, and a scan finds
 * records no list of fields would (FerretDB scans for any filter but `_id` anyway). Each step is
 * idempotent (a moved document no longer holds the resident id; a re-key inserts before it deletes),
 * so a sweep cut short by a restart is finished by the next run.
 */
export function runErasures(): Promise<Record<string, number>> {
  return serialized('erasure', async () => {
    const totals: Record<string, number> = { erasures: 0 };
    for (const e of await Erasure.find({ status: 'pending' }).lean<ErasureDoc[]>()) {
      if (!e.residentId) continue;
      const counts = await sweep(e);
      await Erasure.replaceOne(
        { _id: e._id },
        {
          _id: e._id,
          status: 'done',
          residentId: null,
          contacts: [],
          requestedAt: e.requestedAt,
          dueBy: e.dueBy,
          completedAt: now(),
          counts,
        },
      );
      logger.info({ erasure: e._id, ...counts }, 'erasure completed');
      totals.erasures!++;
      for (const [k, v] of Object.entries(counts)) totals[k] = (totals[k] ?? 0) + v;
    }
    return totals;
  });
}
