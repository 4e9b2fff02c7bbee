/** Reply texts several parts of the bot share. Every text a person reads is Simplified Chinese. */
export const texts = {
  backHint: '回复“返回”可随时回到主菜单。',
  menuHint: '回复“菜单”查看全部功能。',
  cancelled: '好的，已退出当前操作。',
  failed: '抱歉，系统开小差了，请稍后再试。回复“菜单”回到主菜单。',
  unsupported: '暂时只能处理文字、图片和位置消息哦。回复“菜单”查看全部功能。',
  expired: '上次的对话已超时，我们从主菜单重新开始吧。',
};

/**
 * A problem and what to do next, said once: "身份证号码校验位不正确，请核对后重新输入" already tells
 * the person what to do, so "请重新输入身份证号码" is not added after it.
 */
export function askAgain(problem: string, again: string): string {
  const p = problem.trim().replace(/[。.！!，,]+$/, '');
  if (/请[^，。]{0,8}(重新|再|选择|输入|回复|填写)/.test(p)) return `${p}。`;
  return `${p}，${again.replace(/^[，,]/, '')}`;
}
