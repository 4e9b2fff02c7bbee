import { createApp } from 'vue';
// One stylesheet for all of Vant (~25 KB compressed): a page never renders unstyled because a
// component's style import was forgotten. Components themselves are imported per page (tree-shaken).
import 'vant/lib/index.css';
import './styles.css';
import { installVantA11yFixes } from './a11y';
import App from './App.vue';
import { elder, rememberElderMode, renderElderMode } from './elder';
import { router } from './router';

// 长辈模式 before the first paint: this browser's copy, or the bot's `?elder=1` link.
if (/[?&]elder=1(&|$)/.test(location.hash)) rememberElderMode(true);
renderElderMode(elder.on && !location.hash.startsWith('#/console'));

createApp(App).use(router).mount('#app');
installVantA11yFixes();
