import Router from '@koa/router';
import { residentOf } from '../../core/auth';
import { route } from '../../core/http/route';
import { pageQuery } from '../../core/validate';
import { messageListSchema, unreadSchema } from './outbox.schema';
import { listMessages, markMessagesRead, unreadMessages } from './outbox.service';

export const outboxRouter = new Router({ prefix: '/api/v1' });

route(
  outboxRouter,
  {
    method: 'get',
    path: '/me/messages',
    summary: '我的消息（通知）',
    tags: ['messages'],
    access: 'resident',
    query: pageQuery,
    response: messageListSchema,
  },
  ({ auth, query }) => listMessages(residentOf(auth).residentId, query),
);

route(
  outboxRouter,
  {
    method: 'get',
    path: '/me/messages/unread',
    summary: '未读消息数（消息角标）',
    tags: ['messages'],
    access: 'resident',
    response: unreadSchema,
  },
  ({ auth }) => unreadMessages(residentOf(auth).residentId),
);

route(
  outboxRouter,
  {
    method: 'post',
    path: '/me/messages/read',
    summary: '打开消息：清除未读角标',
    tags: ['messages'],
    access: 'resident',
    response: unreadSchema,
  },
  ({ auth }) => markMessagesRead(residentOf(auth).residentId),
);
