import { comingSoon } from './flow';

/** Placeholder until the tipoff feature replaces this file with its real flow (same name, keywords and menu). */
export const tipoffFlow = comingSoon({
  name: 'tipoff',
  keywords: ['随手拍', '举报', '曝光'],
  menu: { order: 3, label: '随手拍' },
  promise: '上线后，您可以在这里拍照举报身边的不文明现象，并随时查看处理进度。',
});
