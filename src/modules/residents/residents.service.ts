import { Types } from 'mongoose';
import { isDuplicateKey, notFound } from '../../core/errors';
import { isoLocal, now } from '../../core/time';
import { claimOnce } from '../../core/store';
import { participationKinds } from '../manifest';
import { openCase, screenText } from '../moderation';
import { regionLabel, requireCommunity } from '../regions/regions.service';
import { counterIds, readCounterNow, recordPoints, recordResidentRegion } from '../counters';
import { PointsEntry, Resident, ResidentIdentity, type IdentityChannel, type ResidentDoc } from './residents.model';
import type { Me, ResidentView, UpdateMe } from './residents.schema';

export type { ResidentDoc };

export function presentResident(r: ResidentDoc): ResidentView {
  return {
    id: r._id,
    nickname: r.nickname,
    regionCode: r.regionCode ?? null,
    regionName: regionLabel(r.regionCode),
    createdAt: isoLocal(r.createdAt),
  };
}

export async function createResident(opts: { regionCode?: string | null; nickname?: string } = {}): Promise<ResidentDoc> {
  const id = new Types.ObjectId().toHexString();
  const regionCode = opts.regionCode ? requireCommunity(opts.regionCode).code : null;
  const doc = { _id: id, nickname: opts.nickname ?? `居民${id.slice(-4).toUpperCase()}`, regionCode, createdAt: now() };
  await Resident.create(doc);
  recordResidentRegion(null, regionCode);
  return doc;
}

export async function getResident(id: string): Promise<ResidentDoc> {
  const r = await Resident.findById(id).lean<ResidentDoc>();
  if (!r) throw notFound('居民');
  return r;
}

/**
 * channel identity → resident id, as read. An identity is inserted once and never changed or
 * removed, so what this process has read stays true; the chat reads it on every message.
 */
const identities = new Map<string, string>();

export async function findResidentByIdentity(channel: IdentityChannel, externalId: string): Promise<ResidentDoc | undefined> {
  const key = `${channel}:${externalId}`;
  const cached = identities.get(key);
  if (cached) {
    const resident = await Resident.findById(cached).lean<ResidentDoc>();
    if (resident) return resident;
    identities.delete(key); // the database was reset under us (tests, a restore): read it again
  }
  const residentId = (await ResidentIdentity.findById(key).lean())?.residentId;
  if (!residentId) return undefined;
  if (identities.size >= 100_000) identities.clear();
  identities.set(key, residentId);
  return (await Resident.findById(residentId).lean<ResidentDoc>()) ?? undefined;
}

/**
 * The resident behind a channel identity, created on first contact. Two racing first contacts
 * cannot make two residents: the identity _id is unique, the loser adopts the winner's resident.
 */
export async function residentForIdentity(
  channel: IdentityChannel,
  externalId: string,
  also?: { channel: IdentityChannel; externalId: string },
): Promise<ResidentDoc> {
  const found = await findResidentByIdentity(channel, externalId);
  const existing = found ?? (also ? await findResidentByIdentity(also.channel, also.externalId) : undefined);
  const resident = existing ?? (await createResident());
  // The identity it was found by exists already: only the others may need linking.
  const links = found ? (also ? [also] : []) : [{ channel, externalId }, ...(also ? [also] : [])];
  for (const link of links) {
    try {
      await ResidentIdentity.create({
        _id: `${link.channel}:${link.externalId}`,
        residentId: resident._id,
        channel: link.channel,
        createdAt: now(),
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      if (!existing) {
        const winner = await findResidentByIdentity(link.channel, link.externalId);
        if (winner) {
          await Resident.deleteOne({ _id: resident._id });
          recordResidentRegion(resident.regionCode, null);
          return winner;
        }
      }
    }
  }
  return resident;
}

/** Adds a channel identity to an existing resident (e.g. the bot's contact opening H5 via OAuth). */
export async function linkIdentity(residentId: string, channel: IdentityChannel, externalId: string): Promise<void> {
  await claimOnce(ResidentIdentity, { _id: `${channel}:${externalId}`, residentId, channel, createdAt: now() }); // already linked: fine
}

/**
 * 内容安全: a nickname shows on leaderboards, so a flagged one is not applied: it waits for the
 * office (residents.moderation.ts applies it on approval) and the resident keeps the old one meanwhile.
 */
async function nicknameAllowed(residentId: string, nickname: string): Promise<boolean> {
  const verdict = await screenText(nickname, { kind: 'nickname', residentId });
  if (!verdict) return true;
  await openCase({ kind: 'nickname', ref: residentId, residentId, text: nickname, verdict });
  return false;
}

export async function updateResident(id: string, patch: UpdateMe): Promise<ResidentDoc> {
  const current = await getResident(id);
  const set: Partial<ResidentDoc> = {};
  if (patch.regionCode !== undefined) set.regionCode = requireCommunity(patch.regionCode).code;
  if (patch.nickname !== undefined && patch.nickname !== current.nickname && (await nicknameAllowed(id, patch.nickname)))
    set.nickname = patch.nickname;
  if (patch.elderMode !== undefined) set.elderMode = patch.elderMode;
  const updated = await Resident.findByIdAndUpdate(id, { $set: set }, { returnDocument: 'after' }).lean<ResidentDoc>();
  if (!updated) throw notFound('居民');
  if (set.regionCode !== undefined) recordResidentRegion(current.regionCode, set.regionCode);
  return updated;
}

/** A resident's own tallies: counters written plus this process's unwritten deltas. */
export async function residentTallies(id: string): Promise<Record<string, number>> {
  return (await readCounterNow(counterIds.resident(id))) as Record<string, number>;
}

export async function getMe(id: string, known?: ResidentDoc): Promise<Me> {
  const [r, t] = await Promise.all([known?._id === id ? known : getResident(id), residentTallies(id)]);
  return {
    id: r._id,
    nickname: r.nickname,
    regionCode: r.regionCode ?? null,
    regionName: regionLabel(r.regionCode),
    points: t.points ?? 0,
    participation: Object.fromEntries(participationKinds().flatMap((k) => (k.summary ? [[k.summary.key, t[k.kind] ?? 0]] : []))),
    elderMode: r.elderMode ?? false,
  };
}

/**
 * Grants points once per (resident, reason, ref): the ledger entry's _id is the guard.
 * Returns false when that reward was already granted.
 */
export async function awardPoints(residentId: string, points: number, reason: string, ref: string, note?: string): Promise<boolean> {
  if (points === 0) return false;
  if (!(await claimOnce(PointsEntry, { _id: `${residentId}:${reason}:${ref}`, residentId, points, reason, note, at: now() }))) return false;
  recordPoints(residentId, points);
  return true;
}
