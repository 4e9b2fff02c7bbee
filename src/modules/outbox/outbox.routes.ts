import Router from '@koa/router';
import { residentOf } from '../../core/auth';
import { route } from '../../core/http/route';
import { pageQuery } from '../../core/validate';
import { messageListSchema } from './outbox.schema';
import { listMessages } from './outbox.service';

export const outboxRouter = new Router({ prefix: '/api/v1' });

route(outboxRouter, { method: 'get', path: '/me/messages', summary: '我的消息（通知）', tags: ['messages'], access: 'resident', query: pageQuery, response: messageListSchema }, ({ auth, query }) =>
  listMessages(residentOf(auth).residentId, query),
);
