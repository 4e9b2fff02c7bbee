import Router from '@koa/router';
import type { Context } from 'koa';
import { AppError } from '../../core/errors';
import { route } from '../../core/http/route';
import { mpQuery } from './mp.schema';
import { receive, verifyServer } from './mp.service';

export const mpRouter = new Router();

/** WeChat's pushes are a few hundred bytes; anything much larger is not WeChat. */
const MAX_BODY = 64 * 1024;

async function readText(ctx: Context): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new AppError('PAYLOAD_TOO_LARGE', '消息过大');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// No per-IP rate limit: every push comes from WeChat's few server addresses, so one would throttle
// all followers at once; a request without the Token's signature costs one sha1.
route(
  mpRouter,
  {
    method: 'get',
    path: '/wechat/mp',
    summary: '微信公众号服务器验证（回显 echostr）',
    tags: ['wechat'],
    access: 'public',
    query: mpQuery,
    produces: 'text/plain',
  },
  ({ ctx, query }) => {
    ctx.type = 'text/plain';
    ctx.body = verifyServer(query);
  },
);

route(
  mpRouter,
  {
    method: 'post',
    path: '/wechat/mp',
    summary: '微信公众号消息与事件（明文或安全模式 XML）',
    tags: ['wechat'],
    access: 'public',
    query: mpQuery,
    consumes: 'text/xml',
    produces: 'application/xml',
  },
  async ({ ctx, query }) => {
    const reply = await receive(query, await readText(ctx));
    ctx.type = reply.type;
    ctx.body = reply.body;
  },
);
