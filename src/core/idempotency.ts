import type { Context } from 'koa';
import { Schema } from 'mongoose';
import { defineModel } from './db/model';
import type { Principal } from './auth';
import { AppError, isDuplicateKey } from './errors';

export const IdempotencyRecord = defineModel('IdempotencyRecord', 'idempotency_keys', {
  _id: String,
  state: { type: String, enum: ['pending', 'done'], required: true },
  status: Number,
  body: Schema.Types.Mixed,
  createdAt: { type: Date, default: () => new Date() },
});

/**
 * Runs a participation-creating handler at most once per (principal, Idempotency-Key): the key is
 * claimed by an insert of a unique _id (never a read-then-write), the first result is stored and a
 * retry gets it back unchanged. A failed first attempt releases the key so the client can retry.
 */
export async function idempotent(
  ctx: Context,
  auth: Principal | undefined,
  status: number,
  run: () => Promise<unknown>,
): Promise<{ status: number; body: unknown }> {
  const key = ctx.get('idempotency-key');
  if (!key) return { status, body: await run() };
  if (!/^[\w.:-]{1,128}$/.test(key)) throw new AppError('VALIDATION_FAILED', 'Idempotency-Key 格式无效');
  const who = auth ? (auth.kind === 'resident' ? auth.residentId : auth.staffId) : ctx.ip;
  const id = `${ctx.method} ${ctx.path}:${who}:${key}`;
  try {
    await IdempotencyRecord.create({ _id: id, state: 'pending' });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const prior = await IdempotencyRecord.findById(id).lean<{ state: string; status: number; body: unknown }>();
    if (prior?.state !== 'done') throw new AppError('IDEMPOTENCY_IN_PROGRESS', '相同的请求正在处理中，请稍后重试');
    ctx.set('Idempotent-Replay', 'true');
    return { status: prior.status, body: prior.body };
  }
  try {
    const body = await run();
    await IdempotencyRecord.replaceOne({ _id: id }, { _id: id, state: 'done', status, body, createdAt: new Date() });
    return { status, body };
  } catch (err) {
    await IdempotencyRecord.deleteOne({ _id: id }).catch(() => undefined);
    throw err;
  }
}
