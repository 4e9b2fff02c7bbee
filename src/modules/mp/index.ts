import type { AppModule } from '../types';
import { mpRouter } from './mp.routes';
import { mpSubscribeRouter } from './mp.subscribe.routes';

export { createMpApi, mpApi, MpApiError, type MpApi } from './mp.api';
export { keywordOfClick, publishMenu } from './mp.menu';
export {
  followerLeft,
  openWindow,
  registerMpConversation,
  registerMpEvent,
  rememberLocation,
  takeQuota,
  type MpConversation,
} from './mp.service';
export type { MpMessage } from './mp.schema';
export { buildXml } from './mp.xml';

/** The WeChat Official Account (公众号): the /wechat/mp endpoint, its API client and the custom menu. */
export const mpModule: AppModule = { name: 'mp', routers: [mpRouter, mpSubscribeRouter] };
