import Router from '@koa/router';
import { z } from 'zod';
import { staffOf, type Principal } from '../../core/auth';
import { route } from '../../core/http/route';
import { createCategory, createUnit, updateCategory, updateUnit } from './catalog.edit';
import {
  catalogListQuery,
  categoryRecordSchema,
  codeParams,
  createCategorySchema,
  createUnitSchema,
  indicatorSchema,
  updateCategorySchema,
  unitRecordSchema,
  updateUnitSchema,
} from './catalog.schema';
import { activeCategories, activeUnits, listCategories, listIndicators, listUnits } from './catalog.service';

export const catalogRouter = new Router({ prefix: '/api/v1' });
const tags = ['content'];
const OFFICE = ['office', 'admin'] as const;
const isOffice = (auth: Principal | undefined) => auth?.kind === 'staff' && (auth.role === 'office' || auth.role === 'admin');
/** Disabled records only for the office's console (`?includeDisabled=true`); everyone else sees the active ones. */
const withDisabled = (q: { includeDisabled?: string }, auth: Principal | undefined) => q.includeDisabled === 'true' && isOffice(auth);

route(
  catalogRouter,
  {
    method: 'get',
    path: '/units',
    summary: '责任单位（办公室可含已停用）',
    tags,
    access: 'public',
    query: catalogListQuery,
    response: z.array(unitRecordSchema),
  },
  ({ query, auth }) => (withDisabled(query, auth) ? listUnits() : activeUnits()),
);
route(
  catalogRouter,
  {
    method: 'post',
    path: '/units',
    summary: '新建责任单位',
    tags,
    access: OFFICE,
    body: createUnitSchema,
    response: unitRecordSchema,
    status: 201,
    errors: [409],
  },
  ({ body, auth }) => createUnit(body, staffOf(auth).username),
);
route(
  catalogRouter,
  {
    method: 'patch',
    path: '/units/:code',
    summary: '修改或停用责任单位',
    tags,
    access: OFFICE,
    params: codeParams,
    body: updateUnitSchema,
    response: unitRecordSchema,
  },
  async ({ params, body, auth, ctx }) => {
    const { before, after } = await updateUnit(params.code, body, staffOf(auth).username);
    ctx.state.auditBefore = { name: before.name, disabled: before.disabled };
    return after;
  },
);

route(
  catalogRouter,
  {
    method: 'get',
    path: '/tipoff-categories',
    summary: '随手拍问题类别（默认责任单位、受理与处置时限；办公室可含已停用）',
    tags,
    access: 'public',
    query: catalogListQuery,
    response: z.array(categoryRecordSchema),
  },
  ({ query, auth }) => (withDisabled(query, auth) ? listCategories() : activeCategories()),
);
route(
  catalogRouter,
  {
    method: 'post',
    path: '/tipoff-categories',
    summary: '新建随手拍问题类别（默认责任单位不存在时 404）',
    tags,
    access: OFFICE,
    body: createCategorySchema,
    response: categoryRecordSchema,
    status: 201,
    errors: [404, 409],
  },
  ({ body, auth }) => createCategory(body, staffOf(auth).username),
);
route(
  catalogRouter,
  {
    method: 'patch',
    path: '/tipoff-categories/:code',
    summary: '修改或停用随手拍问题类别',
    tags,
    access: OFFICE,
    params: codeParams,
    body: updateCategorySchema,
    response: categoryRecordSchema,
  },
  async ({ params, body, auth, ctx }) => {
    const { before, after } = await updateCategory(params.code, body, staffOf(auth).username);
    const { code: _c, origin: _o, editedAt: _e, editedBy: _b, ...fields } = before;
    ctx.state.auditBefore = fields;
    return after;
  },
);

route(
  catalogRouter,
  { method: 'get', path: '/indicators', summary: '测评指标', tags, access: 'public', response: z.array(indicatorSchema) },
  () => listIndicators(),
);
