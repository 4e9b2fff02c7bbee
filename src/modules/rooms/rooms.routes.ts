import Router from '@koa/router';
import { z } from 'zod';
import { route } from '../../core/http/route';
import { outgoingQuery, outgoingSummarySchema, residentMessageViewSchema, roomMessageViewSchema } from './rooms.schema';
import { listResidentMessages, outgoingSummary } from './rooms.outgoing';
import { listRoomMessages } from './rooms.service';

export const outgoingRouter = new Router({ prefix: '/api/v1/admin/outbox' });

const OFFICE_ROLES = ['office', 'admin'] as const;
const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

route(
  outgoingRouter,
  { method: 'get', path: '/summary', summary: '待发送消息概况', tags: ['outbox'], access: OFFICE_ROLES, response: outgoingSummarySchema },
  () => outgoingSummary(),
);

route(
  outgoingRouter,
  {
    method: 'get',
    path: '/residents',
    summary: '发给居民的消息（可按状态筛选：pending 待推送，unsent/failed 未送达）',
    tags: ['outbox'],
    access: OFFICE_ROLES,
    query: outgoingQuery,
    response: page(residentMessageViewSchema),
  },
  ({ query }) => listResidentMessages(query),
);

route(
  outgoingRouter,
  {
    method: 'get',
    path: '/rooms',
    summary: '发到微信群的消息（每日一题、工作简报）',
    tags: ['outbox'],
    access: OFFICE_ROLES,
    query: outgoingQuery,
    response: page(roomMessageViewSchema),
  },
  ({ query }) => listRoomMessages(query),
);
