import { defineFlow, type FlowContext } from './flow';

function showHelp(ctx: FlowContext): void {
  ctx.reply.text(
    '【使用帮助】',
    '• 回复数字选择主菜单中的功能；',
    '• 常用关键词：菜单、答题、志愿、随手拍、问卷、我的、设置社区、链接；',
    '• 随时回复“返回”或“取消”，回到主菜单；',
    '• 发送位置，可以查找离您最近的社区；',
    '• 回复“链接”获取网页版入口，在网页中查看更多内容；',
    '• 回复“个人信息”查看、导出您的信息或注销账号；',
    '• 字看不清？回复“大字”，网页版换成大字、大按钮的长辈模式；',
    '• 回复“人工”联系工作人员，紧急事项请拨打 12345 热线。',
  );
}

/** Lists what the bot understands. */
export const helpFlow = defineFlow({
  name: 'help',
  keywords: ['帮助', 'help', '?', '怎么用', '使用说明'],
  menu: { order: 6, label: '帮助' },
  start: showHelp,
  onMessage: showHelp,
});
