import type { AppModule } from '../types';
import { helpdeskRouter } from './helpdesk.routes';

export { openHelpRequest, type NewHelpRequest } from './helpdesk.service';
export { HELP_PROMISE } from './helpdesk.schema';

/** 人工服务: a resident asks for a person (chat "人工"/"投诉"/"客服", or H5); the office answers from the console. */
export const helpdeskModule: AppModule = { name: 'helpdesk', routers: [helpdeskRouter] };
