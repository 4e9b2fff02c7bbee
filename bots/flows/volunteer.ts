import { comingSoon } from './flow';

/** Placeholder until the volunteer feature replaces this file with its real flow (same name, keywords and menu). */
export const volunteerFlow = comingSoon({
  name: 'volunteer',
  keywords: ['志愿', '志愿服务', '志愿者', '志愿活动'],
  menu: { order: 2, label: '志愿服务' },
  promise: '上线后，您可以在这里注册志愿者、报名社区志愿活动，并查看服务时长。',
});
