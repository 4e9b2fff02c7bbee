import { defineFeature, residentPage } from '../../resident-feature';

/** 随手拍: report with photos and a place; my tip-offs. */
export default defineFeature({
  order: 30,
  routes: [
    residentPage('/tipoff', '随手拍', () => import('./TipoffReportPage.vue')),
    residentPage('/tipoff/mine', '我的随手拍', () => import('./TipoffMinePage.vue')),
  ],
  home: { to: '/tipoff', title: '随手拍', desc: '拍下不文明，一键上报', icon: 'photograph', color: '#1989fa' },
  tallies: [{ key: 'tipoffs', label: '随手拍', order: 3 }],
});
