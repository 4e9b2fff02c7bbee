import Router from '@koa/router';
import { staffOf } from '../../core/auth';
import { extendDeadline } from '../../core/http/middleware';
import { route } from '../../core/http/route';
import { pageQuery } from '../../core/validate';
import { jobListSchema, jobNameParams, jobRunSchema, jobSwitchBody, jobViewSchema, runListSchema, runNowQuery } from './jobs.schema';
import { jobRunner, listJobs, listRuns, presentRun, requireJob, setJobSwitch } from './jobs.service';

export const jobsRouter = new Router({ prefix: '/api/v1/admin' });

/** How long "run now" may wait for a job's end (the weekly brief, a reconciliation on a big database). */
const JOB_WAIT_MS = 10 * 60_000;

route(
  jobsRouter,
  {
    method: 'get',
    path: '/jobs',
    summary: '定时任务列表（计划、开关、最近运行）',
    tags: ['jobs'],
    access: ['admin'],
    response: jobListSchema,
  },
  async () => ({
    items: await listJobs(),
  }),
);

/**
 * The job's on/off switch for every instance, kept in the database: a job switched off is not run
 * by any instance's schedule from its next occurrence on (run-now still works), and stays off after
 * a restart.
 */
route(
  jobsRouter,
  {
    method: 'put',
    path: '/jobs/:name/enabled',
    summary: '启用或停用定时任务',
    tags: ['jobs'],
    access: ['admin'],
    params: jobNameParams,
    body: jobSwitchBody,
    response: jobViewSchema,
  },
  async ({ params, body, auth, ctx }) => {
    const { before, job } = await setJobSwitch(params.name, body.enabled, staffOf(auth).username);
    ctx.state.auditBefore = before;
    return job;
  },
);

route(
  jobsRouter,
  {
    method: 'get',
    path: '/jobs/:name/runs',
    summary: '定时任务运行记录',
    tags: ['jobs'],
    access: ['admin'],
    params: jobNameParams,
    query: pageQuery,
    response: runListSchema,
  },
  async ({ params, query }) => {
    requireJob(params.name);
    return listRuns(params.name, query);
  },
);

/**
 * Runs a job now under its own lease key. Waits for the end (201 with the finished record) unless
 * ?wait=false (202 with the running record). A job already running is recorded and answered as skipped.
 */
route(
  jobsRouter,
  {
    method: 'post',
    path: '/jobs/:name/run',
    summary: '立即运行一个定时任务',
    tags: ['jobs'],
    access: ['admin'],
    params: jobNameParams,
    query: runNowQuery,
    response: jobRunSchema,
    status: 201,
    responses: { 202: { description: '已开始运行（wait=false 且尚未结束）：运行中的记录', schema: jobRunSchema } },
  },
  async ({ params, query, auth, ctx }) => {
    requireJob(params.name);
    const { run, done } = await jobRunner().runNow(params.name, staffOf(auth).username);
    if (query.wait) extendDeadline(ctx, JOB_WAIT_MS); // waiting for a job's end is not a stalled database
    const result = query.wait && run.status === 'running' ? await done : run;
    ctx.status = result.status === 'running' ? 202 : 201;
    ctx.body = presentRun(result);
  },
);
