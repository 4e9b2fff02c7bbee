import Router from '@koa/router';
import { staffOf } from '../../core/auth';
import { route } from '../../core/http/route';
import { noticeListSchema, noticeParams, noticeQuery, noticeViewSchema } from './notices.schema';
import { audienceFor, listNotices, markNoticeRead } from './notices.service';

export const noticesRouter = new Router({ prefix: '/api/v1' });

route(
  noticesRouter,
  {
    method: 'get',
    path: '/staff/notices',
    summary: '工作通知（单位：本单位；创建办：办公室，或 ?unit= 某单位）',
    tags: ['notices'],
    access: 'staff',
    query: noticeQuery,
    response: noticeListSchema,
  },
  ({ auth, query }) => {
    const { unit, ...page } = query;
    return listNotices(audienceFor(staffOf(auth), unit), page);
  },
);

route(
  noticesRouter,
  {
    method: 'post',
    path: '/staff/notices/:id/read',
    summary: '标记工作通知为已读',
    tags: ['notices'],
    access: 'staff',
    params: noticeParams,
    response: noticeViewSchema,
  },
  ({ auth, params }) => markNoticeRead(params.id, staffOf(auth)),
);
