import { comingSoon } from './flow';

/** Placeholder until the survey feature replaces this file with its real flow (same name, keywords and menu). */
export const surveyFlow = comingSoon({
  name: 'survey',
  keywords: ['问卷', '问卷调查', '调查'],
  menu: { order: 4, label: '问卷调查' },
  promise: '上线后，您可以在这里参与文明城市创建问卷，说出您的感受和建议。',
});
