/**
 * Baseline for submissions: bare Koa + @koa/router + a JSON body parser + the MongoDB driver's
 * insertOne of the posted document under a fresh _id, with the service's write concern. No
 * validation, auth, idempotency or statistics: the floor a submission endpoint can approach.
 */
import crypto from 'node:crypto';
import bodyParser from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import mongoose from 'mongoose';

async function main(): Promise<void> {
  const client = await mongoose.mongo.MongoClient.connect(process.env.MONGODB_URI!, { writeConcern: { w: 'majority' } });
  const items = client.db(process.env.DB_NAME).collection<{ _id: string }>('baseline_items');
  const app = new Koa();
  const router = new Router();
  router.post('/items', async (ctx) => {
    const doc = { ...(ctx.request.body as object), _id: crypto.randomUUID(), at: new Date() };
    await items.insertOne(doc);
    ctx.status = 201;
    ctx.body = { id: doc._id };
  });
  router.get('/ping', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  app.use(bodyParser()).use(router.routes()).use(router.allowedMethods());
  app.listen(Number(process.env.PORT), '127.0.0.1');
}

void main();
