import { defineFeature, residentPage } from '../../resident-feature';

/** 问卷调查: the open surveys and one survey. */
export default defineFeature({
  order: 40,
  routes: [
    residentPage('/survey', '问卷调查', () => import('./SurveyListPage.vue')),
    residentPage('/survey/:id', '问卷调查', () => import('./SurveyPage.vue')),
  ],
  home: { to: '/survey', title: '问卷调查', desc: '说说您的感受和建议', icon: 'description-o', color: '#07a35a' },
  tallies: [{ key: 'surveys', label: '问卷', order: 2 }],
});
