import Router from '@koa/router';
import { route } from '../../core/http/route';
import { dayKey, now } from '../../core/time';
import { auditCsv } from './audit.export';
import { auditListSchema, auditQuery } from './audit.schema';
import { exportAudit, listAudit } from './audit.service';

export const auditRouter = new Router({ prefix: '/api/v1' });

route(
  auditRouter,
  {
    method: 'get',
    path: '/audit',
    summary: '操作日志（按人、角色、日期、操作筛选，新的在前）',
    tags: ['audit'],
    access: ['admin'],
    query: auditQuery,
    response: auditListSchema,
  },
  async ({ query }) => ({ ...(await listAudit(query)), page: query.page, pageSize: query.pageSize }),
);

route(
  auditRouter,
  {
    method: 'get',
    path: '/audit/export.csv',
    summary: '导出操作日志（CSV，与列表相同的筛选）',
    tags: ['audit'],
    access: ['admin'],
    query: auditQuery,
    produces: 'text/csv',
  },
  async ({ ctx, query }) => {
    ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`操作日志-${dayKey(now())}.csv`)}`);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = auditCsv(await exportAudit(query));
    return undefined;
  },
);
