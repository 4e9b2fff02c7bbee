import { createApp } from 'vue';
// One stylesheet for all of Vant (~25 KB compressed): a page never renders unstyled because a
// component's style import was forgotten. Components themselves are imported per page (tree-shaken).
import 'vant/lib/index.css';
import './styles.css';
import App from './App.vue';
import { router } from './router';

createApp(App).use(router).mount('#app');
