/**
 * Baseline for statistics: bare Koa + @koa/router + the MongoDB driver's findOne({_id}) on a
 * collection of small counter documents it seeds itself (the one query FerretDB pushes down).
 * Small on purpose: FerretDB's cost grows with a document's fields (docs/PERFORMANCE.md), and the
 * baseline is the cheapest point read.
 */
import Router from '@koa/router';
import Koa from 'koa';
import mongoose from 'mongoose';

async function main(): Promise<void> {
  const docs = Number(process.env.DOCS ?? 1000);
  const client = await mongoose.mongo.MongoClient.connect(process.env.MONGODB_URI!);
  const items = client.db(process.env.DB_NAME).collection<{ _id: string; c: Record<string, number> }>('baseline_counters');
  await items.deleteMany({});
  await items.insertMany(Array.from({ length: docs }, (_, i) => ({ _id: `k${i}`, c: { n: 100 + i, k: i } })));
  const app = new Koa();
  const router = new Router();
  router.get('/items/:id', async (ctx) => {
    const doc = await items.findOne({ _id: ctx.params.id! });
    if (!doc) ctx.throw(404);
    ctx.body = doc;
  });
  router.get('/ping', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  app.use(router.routes()).use(router.allowedMethods());
  app.listen(Number(process.env.PORT), '127.0.0.1');
}

void main();
