import Router from '@koa/router';
import { z } from 'zod';
import { staffOf } from '../../core/auth';
import { AppError } from '../../core/errors';
import { readMultipart } from '../../core/http/multipart';
import { route } from '../../core/http/route';
import { logger } from '../../core/logger';
import { importPopulations, populationRows, populationsCsv } from './regions.population';
import {
  nearestPlaceSchema,
  nearestQuerySchema,
  populationImportResultSchema,
  populationRowSchema,
  regionNodeSchema,
} from './regions.schema';
import { placeNear, regionTree } from './regions.service';

export const regionsRouter = new Router({ prefix: '/api/v1' });
const OFFICE = ['office', 'admin'] as const;
const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

route(
  regionsRouter,
  {
    method: 'get',
    path: '/regions',
    summary: '区域树（市 › 区 › 街道 › 社区）',
    tags: ['regions'],
    access: 'public',
    response: z.array(regionNodeSchema),
  },
  () => regionTree(),
);

route(
  regionsRouter,
  {
    method: 'get',
    path: '/regions/nearest',
    summary: '定位点所在的社区、街道与距社区中心的距离（米）；不在本市范围内时 404',
    tags: ['regions'],
    access: 'public',
    query: nearestQuerySchema,
    response: nearestPlaceSchema,
    errors: [404],
  },
  ({ query }) => {
    const place = placeNear(query);
    if (!place) throw new AppError('NOT_FOUND', '该位置不在本市范围内，请确认定位或手动选择社区');
    return place;
  },
);

route(
  regionsRouter,
  {
    method: 'get',
    path: '/regions/populations',
    summary: '各社区常住人口与户数（人口普查导入）',
    tags: ['regions'],
    access: OFFICE,
    response: z.array(populationRowSchema),
  },
  () => populationRows(),
);

route(
  regionsRouter,
  {
    method: 'get',
    path: '/regions/populations\\:export',
    summary: '导出各社区人口（CSV，可作导入模板）',
    tags: ['regions'],
    access: OFFICE,
    produces: 'text/csv',
  },
  async ({ ctx }) => {
    ctx.attachment('社区人口.csv');
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = await populationsCsv();
    return undefined;
  },
);

route(
  regionsRouter,
  {
    method: 'post',
    path: '/regions/populations\\:import',
    summary: '导入各社区人口（人口普查 CSV/XLSX，字段 file；任一行有误则不导入，逐行报告）',
    tags: ['regions'],
    access: OFFICE,
    consumes: 'multipart/form-data',
    response: populationImportResultSchema,
  },
  async ({ ctx, auth }) => {
    const [file] = (await readMultipart(ctx, { field: 'file', maxFiles: 1, maxFileBytes: IMPORT_MAX_BYTES, noun: '个文件' })).files;
    if (!file)
      throw new AppError('VALIDATION_FAILED', '请上传人口数据文件（字段名 file）', [{ path: 'file', message: '请上传 CSV 或 XLSX 文件' }]);
    const result = await importPopulations(file, staffOf(auth).username);
    logger.info({ staff: staffOf(auth).username, ...result }, 'region populations imported');
    return result;
  },
);
