import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { testDbName, testEnv } from './env';

testEnv();

// Imported after the environment is set, so config() reads the test values.
/* eslint-disable @typescript-eslint/no-require-imports */
const { createApp } = require('../../src/app') as typeof import('../../src/app');
const { listen } = require('../../src/core/http/server') as typeof import('../../src/core/http/server');
const { bootstrap } = require('../../src/bootstrap') as typeof import('../../src/bootstrap');
const { counterWriter } =
  require('../../src/modules/counters/counter-writer') as typeof import('../../src/modules/counters/counter-writer');
const { setClock } = require('../../src/core/time') as typeof import('../../src/core/time');
const mongoose = require('mongoose') as typeof import('mongoose');

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** a raw body (string, FormData, Buffer) sent as is */
  raw?: BodyInit;
}

export interface TestApp {
  baseUrl: string;
  server: Server;
  app: Koa;
  request<T = any>(method: string, path: string, body?: unknown, opts?: RequestOptions): Promise<ApiResponse<T>>;
  get<T = any>(path: string, opts?: RequestOptions): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body?: unknown, opts?: RequestOptions): Promise<ApiResponse<T>>;
  patch<T = any>(path: string, body?: unknown, opts?: RequestOptions): Promise<ApiResponse<T>>;
  del<T = any>(path: string, opts?: RequestOptions): Promise<ApiResponse<T>>;
  /** writes pending counters so statistics read what was just recorded */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the real service on a fresh database of the run's embedded server, listening on a free
 * port; tests talk to it over HTTP exactly as clients do.
 */
export async function startTestApp(): Promise<TestApp> {
  await bootstrap({ uri: process.env.WM_TEST_MONGO_URI!, dbName: testDbName() });
  const app = createApp(extraMiddleware);
  const server = listen(app, 0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', r));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let payload: BodyInit | undefined = opts.raw;
    if (payload === undefined && body !== undefined) {
      headers['content-type'] ??= 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(baseUrl + path, { method, headers, body: payload, redirect: 'manual' });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  return {
    baseUrl,
    server,
    app,
    request,
    get: (p, o) => request('GET', p, undefined, o),
    post: (p, b, o) => request('POST', p, b ?? {}, o),
    patch: (p, b, o) => request('PATCH', p, b ?? {}, o),
    del: (p, o) => request('DELETE', p, undefined, o),
    flush: () => counterWriter.flush(),
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await counterWriter.stop();
      await mongoose.connection.dropDatabase().catch(() => undefined);
      await mongoose.disconnect();
    },
  };
}

/**
 * The usual setup of a test file: the service started before its tests and closed after them, with
 * the clock given back to real time (a test that moved it cannot leak into the next file).
 *
 *   const app = useTestApp();
 *
 * The object is filled in by `beforeAll`, so read it inside tests and hooks only.
 */
export function useTestApp(): TestApp {
  const holder = {} as TestApp;
  beforeAll(async () => {
    Object.assign(holder, await startTestApp());
  });
  afterAll(async () => {
    setClock(undefined);
    await holder.close();
  });
  return holder;
}

/** Middleware mounted after the API routers (the H5 pages register themselves here). */
export const extraMiddleware: Koa.Middleware[] = [];
