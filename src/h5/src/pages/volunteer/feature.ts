import { defineFeature, residentPage } from '../../resident-feature';

/** 志愿服务: registration, activities, sign-up, check-in, the service record. */
export default defineFeature({
  order: 20,
  routes: [
    residentPage('/volunteer', '志愿服务', () => import('./VolunteerHomePage.vue')),
    residentPage('/volunteer/register', '注册志愿者', () => import('./RegisterPage.vue')),
    residentPage('/volunteer/activities/:id', '活动详情', () => import('./ActivityPage.vue')),
    residentPage('/volunteer/mine', '我的报名', () => import('./MySignupsPage.vue')),
    residentPage('/volunteer/record', '志愿服务记录', () => import('./RecordPage.vue')),
    residentPage('/volunteer/checkin', '现场签到', () => import('./CheckinPage.vue')),
  ],
  home: { to: '/volunteer', title: '志愿服务', desc: '注册志愿者，报名活动', icon: 'friends-o', color: '#ee7b1c' },
  tallies: [{ key: 'activities', label: '志愿报名', order: 4 }],
});
