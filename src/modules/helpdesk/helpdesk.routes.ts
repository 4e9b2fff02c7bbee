import Router from '@koa/router';
import { residentOf, staffOf } from '../../core/auth';
import { route } from '../../core/http/route';
import {
  helpListQuery,
  helpParams,
  helpReplySchema,
  helpRequestListSchema,
  helpRequestViewSchema,
  newHelpRequestSchema,
} from './helpdesk.schema';
import { closeHelpRequest, getHelpRequest, listHelpRequests, openHelpRequest, replyToHelpRequest } from './helpdesk.service';

export const helpdeskRouter = new Router({ prefix: '/api/v1' });
const OFFICE = ['office', 'admin'] as const;

route(
  helpdeskRouter,
  {
    method: 'post',
    path: '/me/help-requests',
    summary: '居民请求人工服务（网页）',
    tags: ['helpdesk'],
    access: 'resident',
    body: newHelpRequestSchema,
    response: helpRequestViewSchema,
    status: 201,
  },
  ({ auth, body }) => openHelpRequest({ residentId: residentOf(auth).residentId, channel: 'h5', said: body.said }),
);

route(
  helpdeskRouter,
  {
    method: 'get',
    path: '/help-requests',
    summary: '人工服务请求：待办（默认）或全部',
    tags: ['helpdesk'],
    access: OFFICE,
    query: helpListQuery,
    response: helpRequestListSchema,
  },
  ({ query }) => listHelpRequests(query.status),
);

route(
  helpdeskRouter,
  {
    method: 'get',
    path: '/help-requests/:id',
    summary: '人工服务请求详情（含最近对话）',
    tags: ['helpdesk'],
    access: OFFICE,
    params: helpParams,
    response: helpRequestViewSchema,
  },
  ({ params }) => getHelpRequest(params.id),
);

route(
  helpdeskRouter,
  {
    method: 'post',
    path: '/help-requests/:id/replies',
    summary: '回复居民（经原渠道送达，网页“消息”同时可见）；close=true 同时办结',
    tags: ['helpdesk'],
    access: OFFICE,
    params: helpParams,
    body: helpReplySchema,
    response: helpRequestViewSchema,
  },
  ({ auth, params, body }) => replyToHelpRequest(params.id, staffOf(auth), body),
);

route(
  helpdeskRouter,
  {
    method: 'post',
    path: '/help-requests/:id/close',
    summary: '办结人工服务请求',
    tags: ['helpdesk'],
    access: OFFICE,
    params: helpParams,
    response: helpRequestViewSchema,
  },
  ({ params }) => closeHelpRequest(params.id),
);
