import fs from 'node:fs';
import Router from '@koa/router';
import { route } from '../../core/http/route';
import { logger } from '../../core/logger';
import { briefListSchema, briefParams } from './briefs.schema';
import { briefFile, listBriefs } from './briefs.service';

export const briefsRouter = new Router({ prefix: '/api/v1/admin' });
const OFFICE = ['office', 'admin'] as const;

route(
  briefsRouter,
  { method: 'get', path: '/briefs', summary: '工作周报列表', tags: ['briefs'], access: OFFICE, response: briefListSchema },
  async () => ({ items: await listBriefs() }),
);

route(
  briefsRouter,
  {
    method: 'get',
    path: '/briefs/:id.xlsx',
    summary: '下载工作周报（Excel，含图表）',
    tags: ['briefs'],
    access: OFFICE,
    params: briefParams,
    produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  async ({ params, ctx, auth }) => {
    const { file, name } = await briefFile(params.id, 'xlsx');
    // Exports are logged: who downloaded which brief.
    logger.info({ export: 'brief', id: params.id, who: auth?.kind === 'staff' ? auth.username : undefined }, 'brief downloaded');
    ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
    ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    ctx.body = fs.createReadStream(file);
  },
);

route(
  briefsRouter,
  {
    method: 'get',
    path: '/briefs/:id.png',
    summary: '工作周报图表（PNG）',
    tags: ['briefs'],
    access: OFFICE,
    params: briefParams,
    produces: 'image/png',
  },
  async ({ params, ctx }) => {
    const { file } = await briefFile(params.id, 'png');
    ctx.type = 'image/png';
    ctx.set('Cache-Control', 'private, max-age=300');
    ctx.body = fs.createReadStream(file);
  },
);
