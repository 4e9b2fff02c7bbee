import type Router from '@koa/router';
import { staffOf } from '../../core/auth';
import { route } from '../../core/http/route';
import { bulkTransition, exportTriage } from './tipoffs.bulk';
import {
  bulkResultSchema,
  bulkSchema,
  triageExportQuerySchema,
  triagePageSchema,
  triageQuerySchema,
  type TriageExportQuery,
} from './tipoffs.schema';
import { triagePage, triageRows } from './tipoffs.triage';

const OFFICE = ['office', 'admin'] as const;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The triage table's routes. Registered before `/tipoffs/:id` (the router tries paths in order, and
 * `triage` would otherwise be read as an id).
 */
export function registerTriageRoutes(router: Router): void {
  route(
    router,
    {
      method: 'get',
      path: '/tipoffs/triage',
      summary: '随手拍处置表：按编号（直接定位）或文字（最近 30 天）搜索，按状态、类别、区域、单位、超期筛选，排序分页',
      tags: ['tipoffs'],
      access: 'staff',
      query: triageQuerySchema,
      response: triagePageSchema,
      errors: [403],
    },
    ({ auth, query }) => triagePage(staffOf(auth), query),
  );

  for (const format of ['csv', 'xlsx'] as const) {
    route(
      router,
      {
        method: 'get',
        path: `/tipoffs/triage/export.${format}`,
        summary: `导出随手拍（${format.toUpperCase()}：选中的 ids，或与处置表相同的筛选，最多 5000 条）`,
        tags: ['tipoffs'],
        access: 'staff',
        query: triageExportQuerySchema,
        produces: format === 'csv' ? 'text/csv' : XLSX,
        errors: [403],
      },
      async ({ ctx, auth, query }) => {
        const staff = staffOf(auth);
        const q = query as TriageExportQuery;
        const docs = await triageRows(staff, { ...q, page: 1, pageSize: 100 }, q.ids);
        const file = await exportTriage(staff, docs, format);
        ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
        ctx.set('Cache-Control', 'no-store');
        ctx.type = format === 'csv' ? 'text/csv; charset=utf-8' : XLSX;
        ctx.body = file.body;
        return undefined;
      },
    );
  }

  route(
    router,
    {
      method: 'post',
      path: '/tipoffs/triage/bulk',
      summary: '随手拍批量处置（受理并分派、改派、办结；逐条检查，失败的单独说明原因）',
      tags: ['tipoffs'],
      access: [...OFFICE],
      body: bulkSchema,
      response: bulkResultSchema,
    },
    ({ auth, body }) => bulkTransition(staffOf(auth), body),
  );
}
