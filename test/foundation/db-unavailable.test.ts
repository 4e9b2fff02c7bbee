import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import mongoose from 'mongoose';
import { AppError } from '../../src/core/errors';
import { deadline, errorHandler, extendDeadline } from '../../src/core/http/middleware';

/* eslint-disable @typescript-eslint/no-require-imports */
// The pool errors are not exported by the driver; they are what it throws when a server stalls.
const pool = require('mongodb/lib/cmap/errors') as Record<string, new (...a: any[]) => Error>;
const { mongo } = mongoose;

/**
 * Every way the driver says "the database is away", and a request that outlives its deadline,
 * answer 503 DB_UNAVAILABLE with Retry-After: never 500, never a hang. A bare Koa app with the
 * service's error middleware and deadline, so each error is thrown exactly as the driver builds it.
 */
const fakePool = { address: '127.0.0.1:1', serverError: new mongo.MongoNetworkTimeoutError('connection timed out') };
const driverErrors: Record<string, () => unknown> = {
  MongoNetworkError: () => new mongo.MongoNetworkError('connection closed'),
  MongoNetworkTimeoutError: () => new mongo.MongoNetworkTimeoutError('connection 3 to 127.0.0.1:1 timed out'),
  MongoServerSelectionError: () =>
    new mongo.MongoServerSelectionError('Server selection timed out after 5000 ms', { type: 'Unknown', servers: new Map() } as never),
  MongooseServerSelectionError: () =>
    Object.assign(new Error('Could not connect to any servers'), { name: 'MongooseServerSelectionError' }),
  PoolClearedError: () => new pool.PoolClearedError!(fakePool),
  PoolClearedOnNetworkError: () => new pool.PoolClearedOnNetworkError!(fakePool),
  WaitQueueTimeoutError: () =>
    new pool.WaitQueueTimeoutError!('Timed out while checking out a connection from connection pool', '127.0.0.1:1'),
  PoolClosedError: () => new pool.PoolClosedError!(fakePool),
  MongoNotConnectedError: () => new mongo.MongoNotConnectedError('Client must be connected before running operations'),
  MongoTopologyClosedError: () => new mongo.MongoTopologyClosedError(),
  MongoOperationTimeoutError: () => new mongo.MongoOperationTimeoutError('Timed out during operation'),
  'mongoose buffering timeout': () => new mongoose.Error('Operation `residents.insertOne()` buffering timed out after 3000ms'),
  'EPIPE from a dead socket': () => Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' }),
  'network error wrapped as a cause': () => new Error('flush failed', { cause: new mongo.MongoNetworkTimeoutError('timed out') }),
};

let server: import('node:http').Server;
let base: string;
const DEADLINE_MS = 300;

beforeAll(async () => {
  const app = new Koa();
  app.use(errorHandler);
  app.use(deadline(() => DEADLINE_MS));
  app.use(async (ctx) => {
    const name = decodeURIComponent(ctx.path.slice(1));
    if (name === 'patient') {
      extendDeadline(ctx, DEADLINE_MS * 4);
      await new Promise((r) => setTimeout(r, DEADLINE_MS * 2));
      ctx.body = { ok: true };
    } else if (name === 'hang') await new Promise((r) => setTimeout(r, DEADLINE_MS * 10).unref());
    else if (name === 'slow-failure')
      await new Promise((_, rej) => setTimeout(() => rej(new mongo.MongoNetworkError('late')), DEADLINE_MS * 2));
    else if (name === 'bug') throw new TypeError('x is undefined');
    else if (name === 'conflict') throw new AppError('CONFLICT', '冲突');
    else if (name === 'fast') ctx.body = { ok: true };
    else throw driverErrors[name]!();
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function call(name: string): Promise<{ status: number; code?: string; retryAfter: string | null; ms: number }> {
  const t0 = Date.now();
  const res = await fetch(`${base}/${encodeURIComponent(name)}`);
  const body = (await res.json()) as { error?: { code: string } };
  return { status: res.status, code: body.error?.code, retryAfter: res.headers.get('retry-after'), ms: Date.now() - t0 };
}

describe('driver errors that mean the database is away', () => {
  it.each(Object.keys(driverErrors))('answers %s with 503 DB_UNAVAILABLE and Retry-After', async (name) => {
    const res = await call(name);
    expect(res).toMatchObject({ status: 503, code: 'DB_UNAVAILABLE' });
    expect(Number(res.retryAfter)).toBeGreaterThan(0);
  });

  it('still answers a plain bug with 500 INTERNAL and an application error with its own status', async () => {
    expect(await call('bug')).toMatchObject({ status: 500, code: 'INTERNAL', retryAfter: null });
    expect(await call('conflict')).toMatchObject({ status: 409, code: 'CONFLICT' });
  });
});

describe('the request deadline', () => {
  it('answers a request still running at the deadline with 503 DB_UNAVAILABLE and Retry-After, on time', async () => {
    const res = await call('hang');
    expect(res).toMatchObject({ status: 503, code: 'DB_UNAVAILABLE' });
    expect(res.retryAfter).not.toBeNull();
    expect(res.ms).toBeGreaterThanOrEqual(DEADLINE_MS - 20);
    expect(res.ms).toBeLessThan(DEADLINE_MS * 3);
  });

  it('lets a route that waits on purpose extend its own deadline', async () => {
    const t0 = Date.now();
    const res = await fetch(`${base}/patient`);
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(DEADLINE_MS * 2 - 20);
  });

  it('drops the late failure of work past its deadline without crashing, and serves the next request', async () => {
    expect(await call('slow-failure')).toMatchObject({ status: 503, code: 'DB_UNAVAILABLE' });
    await new Promise((r) => setTimeout(r, DEADLINE_MS * 2));
    expect((await fetch(`${base}/fast`)).status).toBe(200);
  });
});
