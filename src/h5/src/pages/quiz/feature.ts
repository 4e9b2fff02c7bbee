import { defineFeature, residentPage } from '../../resident-feature';

/** 知识问答: banks, an attempt, the leaderboard. */
export default defineFeature({
  order: 10,
  routes: [
    residentPage('/quiz', '知识问答', () => import('./QuizListPage.vue')),
    residentPage('/quiz/:id', '答题', () => import('./QuizAttemptPage.vue')),
    residentPage('/quiz/:id/leaderboard', '答题排行榜', () => import('./QuizLeaderboardPage.vue')),
  ],
  home: { to: '/quiz', title: '知识问答', desc: '答题学知识，赢取积分', icon: 'question-o', color: '#c8161d' },
  tallies: [{ key: 'quizzes', label: '答题', order: 1 }],
});
