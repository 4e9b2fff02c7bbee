/** `npm run mp:menu`: validates content/mp-menu.yaml and publishes it as the Official Account's custom menu. */
import { ConfigError } from '../src/config';
import { mpApi } from '../src/modules/mp';
import { loadMpMenu, publishMenu } from '../src/modules/mp/mp.menu';
import { runScript } from './cli';

void runScript(async () => {
  const file = loadMpMenu(); // a bad file stops here, before any call to WeChat
  const api = mpApi();
  if (!api)
    throw new ConfigError('未配置 WECHAT_MP_APP_ID / WECHAT_MP_APP_SECRET，无法发布公众号菜单 / the Official Account is not configured');
  const menu = await publishMenu(api, file);
  console.log(`✓ 公众号菜单已发布：${menu.button.length} 个一级菜单`);
});
