import Router from '@koa/router';
import type { Context } from 'koa';
import { staffOf, type Role } from '../../core/auth';
import { route } from '../../core/http/route';
import { logger } from '../../core/logger';
import { exportReport, exportTableCsv, type ExportFile } from './stats.export';
import {
  csvQuery,
  gapsQuery,
  indicatorQuery,
  indicatorStatsSchema,
  knowledgeGapsSchema,
  participationStatsSchema,
  reportQuery,
  sampleMonitorSchema,
  sampleQuery,
  statsQuery,
  tipoffStatsSchema,
  volunteerStatsSchema,
} from './stats.schema';
import { getIndicatorStats, getKnowledgeGaps, getParticipation, getSampleMonitor, getTipoffs, getVolunteers } from './stats.service';

export const statsRouter = new Router({ prefix: '/api/v1/stats' });
const access: readonly Role[] = ['office', 'admin'];
const tags = ['statistics'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

route(
  statsRouter,
  {
    method: 'get',
    path: '/awareness',
    summary: '知晓率（未加权与按人口加权，含 95% 区间）',
    tags,
    access,
    query: indicatorQuery,
    response: indicatorStatsSchema,
  },
  ({ query }) => getIndicatorStats('awareness', query),
);
route(
  statsRouter,
  { method: 'get', path: '/support', summary: '支持率', tags, access, query: indicatorQuery, response: indicatorStatsSchema },
  ({ query }) => getIndicatorStats('support', query),
);
route(
  statsRouter,
  {
    method: 'get',
    path: '/satisfaction',
    summary: '满意度（含 0–100 平均得分）',
    tags,
    access,
    query: indicatorQuery,
    response: indicatorStatsSchema,
  },
  ({ query }) => getIndicatorStats('satisfaction', query),
);
route(
  statsRouter,
  {
    method: 'get',
    path: '/participation',
    summary: '参与率（去重人数 / 常住人口），分方式、区域、日',
    tags,
    access,
    query: statsQuery,
    response: participationStatsSchema,
  },
  ({ query }) => getParticipation(query),
);
route(
  statsRouter,
  {
    method: 'get',
    path: '/volunteers',
    summary: '志愿者注册率（目标 10%）与服务时长',
    tags,
    access,
    query: statsQuery,
    response: volunteerStatsSchema,
  },
  ({ query }) => getVolunteers(query),
);
route(
  statsRouter,
  {
    method: 'get',
    path: '/tipoffs',
    summary: '随手拍：分状态/类别/区域/单位，整改率、按时率、整改用时中位数，单位排名',
    tags,
    access,
    query: statsQuery,
    response: tipoffStatsSchema,
  },
  ({ query }) => getTipoffs(query),
);
route(
  statsRouter,
  {
    method: 'get',
    path: '/knowledge-gaps',
    summary: '知识薄弱点：逐题正确率，最弱在前',
    tags,
    access,
    query: gapsQuery,
    response: knowledgeGapsSchema,
  },
  ({ query }) => getKnowledgeGaps(query),
);
route(
  statsRouter,
  {
    method: 'get',
    path: '/sample-monitor',
    summary: '样本监测：各社区目标与已完成样本量、知晓率误差范围',
    tags,
    access,
    query: sampleQuery,
    response: sampleMonitorSchema,
  },
  ({ query }) => getSampleMonitor(query),
);

function sendFile(ctx: Context, file: ExportFile, type: string): undefined {
  ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`);
  ctx.set('Cache-Control', 'no-store');
  ctx.type = type;
  ctx.body = file.body;
  return undefined;
}

route(
  statsRouter,
  {
    method: 'get',
    path: '/report.xlsx',
    summary: '统计报表（Excel，每个主题一张表，含筛选条件）',
    tags,
    access,
    query: reportQuery,
    produces: XLSX,
  },
  async ({ ctx, auth, query }) => {
    const file = await exportReport(query);
    logger.info({ staff: staffOf(auth).username, filters: file.filters }, 'statistics report exported');
    return sendFile(ctx, file, XLSX);
  },
);
route(
  statsRouter,
  {
    method: 'get',
    path: '/export.csv',
    summary: '导出一张统计表（CSV，table 指定表名）',
    tags,
    access,
    query: csvQuery,
    produces: 'text/csv',
  },
  async ({ ctx, auth, query }) => {
    const file = await exportTableCsv(query.table, query);
    logger.info({ staff: staffOf(auth).username, table: query.table, filters: file.filters }, 'statistics table exported');
    return sendFile(ctx, file, 'text/csv; charset=utf-8');
  },
);
