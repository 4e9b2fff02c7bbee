import crypto from 'node:crypto';
import { json, type Target } from './target';

/** Documents the findOne baseline seeds (scripts/bench/baselines/koa-find.ts reads DOCS). */
export const FIND_DOCS = 1000;

/** The four baselines, each measured side by side with the service on the same database server. */
export const baselineTargets: Target[] = [
  {
    id: 'node-http',
    label: 'baseline: bare node:http',
    server: 'node-http',
    okStatus: 200,
    prepare: async () => () => ({ method: 'GET', path: '/' }),
  },
  {
    id: 'koa-router',
    label: 'baseline: bare Koa + @koa/router',
    server: 'koa-router',
    okStatus: 200,
    prepare: async () => () => ({ method: 'GET', path: '/ping' }),
  },
  {
    id: 'koa-insert',
    label: 'baseline: Koa + driver insertOne',
    server: 'koa-insert',
    okStatus: 201,
    prepare: async () => () => ({
      method: 'POST',
      path: '/items',
      ...json({ residentId: crypto.randomUUID(), questionId: 'q1', choice: ['A'] }),
    }),
  },
  {
    id: 'koa-find',
    label: 'baseline: Koa + driver findOne({_id})',
    server: 'koa-find',
    okStatus: 200,
    prepare: async () => {
      let i = 0;
      return () => ({ method: 'GET', path: `/items/k${i++ % FIND_DOCS}` });
    },
  },
];
