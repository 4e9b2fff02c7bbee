import type { LinkRefusal } from './residents.links';

/** The page and status of each refusal: a phone's browser shows it, so it is a page, never JSON. */
const pages: Record<LinkRefusal, { status: number; title: string; why: string }> = {
  invalid: { status: 400, title: '链接无效', why: '这个链接不完整或已被改动，无法打开。' },
  expired: { status: 410, title: '链接已过期', why: '为保护您的账号，聊天中收到的链接 15 分钟内有效。' },
  used: { status: 410, title: '链接已使用', why: '为保护您的账号，每个链接只能打开一次，转发给他人也无法使用。' },
};

const STYLE = `
  body { margin: 0; font: 16px/1.6 -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; background: #f7f8fa; color: #323233; }
  main { max-width: 420px; margin: 0 auto; padding: 64px 24px; text-align: center; }
  .icon { width: 64px; height: 64px; margin: 0 auto 16px; border-radius: 50%; background: #fff1f0; color: #ee0a24; font-size: 36px; line-height: 64px; }
  h1 { font-size: 20px; margin: 0 0 12px; }
  p { margin: 0 0 8px; color: #646566; }
  .hint { color: #323233; font-weight: 600; margin: 16px 0 32px; }
  .button { display: block; padding: 12px; border-radius: 24px; background: #c8102e; color: #fff; text-decoration: none; font-size: 16px; }
  .secondary { display: inline-block; margin-top: 16px; color: #576b95; text-decoration: none; font-size: 14px; }
`;

/** A small self-contained page: it must show even when the H5 pages are not built or do not load. */
export function linkRefusedPage(reason: LinkRefusal): { status: number; html: string } {
  const p = pages[reason];
  const html = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} · 文明城市创建</title>
<style>${STYLE}</style>
</head>
<body>
<main class="link-refused" data-reason="${reason}">
  <div class="icon" aria-hidden="true">!</div>
  <h1>${p.title}</h1>
  <p>${p.why}</p>
  <p class="hint">请回到公众号/聊天中重新获取链接。</p>
  <a class="button" href="weixin://">返回微信</a>
  <a class="secondary" href="/h5/">先以游客身份浏览</a>
</main>
</body>
</html>
`;
  return { status: p.status, html };
}
