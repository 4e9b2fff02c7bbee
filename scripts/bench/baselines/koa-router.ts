/** Baseline: bare Koa + @koa/router, no database: what the framework itself costs. */
import Router from '@koa/router';
import Koa from 'koa';

const app = new Koa();
const router = new Router();
router.get('/ping', (ctx) => {
  ctx.body = { status: 'ok' };
});
app.use(router.routes()).use(router.allowedMethods());
app.listen(Number(process.env.PORT), '127.0.0.1');
