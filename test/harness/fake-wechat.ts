import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for WeChat's servers, so sessions are tested without the internet:
 * - `/sns/jscode2session` (mini-program) and `/sns/oauth2/access_token` (H5 OAuth) map a code to
 *   an openid (and unionid) registered with `addCode`; an unknown code gets errcode 40029 as WeChat does;
 * - `/connect/oauth2/authorize` plays the user's WeChat client: it sends the browser back to
 *   `redirect_uri` with `authorizeCode` and the state it was given.
 */
export interface FakeWeChat {
  url: string;
  appId: string;
  appSecret: string;
  /** the code the next /connect/oauth2/authorize hands out (the "user" of the browser) */
  authorizeCode: string;
  addCode(code: string, openid: string, unionid?: string): void;
  /** every request path + query the fake received, newest last */
  calls: { path: string; query: URLSearchParams }[];
  close(): Promise<void>;
}

export async function startFakeWeChat(opts: { appId?: string; appSecret?: string } = {}): Promise<FakeWeChat> {
  const appId = opts.appId ?? 'wx-test-appid';
  const appSecret = opts.appSecret ?? 'wx-test-secret';
  const codes = new Map<string, { openid: string; unionid?: string }>();
  const calls: FakeWeChat['calls'] = [];
  const fake = { authorizeCode: '' };

  const json = (res: http.ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' }); // WeChat answers errors with 200 too
    res.end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    calls.push({ path: url.pathname, query: url.searchParams });
    const q = url.searchParams;
    if (url.pathname === '/connect/oauth2/authorize') {
      const back = new URL(q.get('redirect_uri') ?? '');
      back.searchParams.set('code', fake.authorizeCode);
      back.searchParams.set('state', q.get('state') ?? '');
      res.writeHead(302, { location: back.toString() });
      res.end();
      return;
    }
    if (url.pathname === '/sns/jscode2session' || url.pathname === '/sns/oauth2/access_token') {
      if (q.get('appid') !== appId || q.get('secret') !== appSecret) return json(res, { errcode: 40125, errmsg: 'invalid appsecret' });
      const code = q.get(url.pathname === '/sns/jscode2session' ? 'js_code' : 'code') ?? '';
      const who = codes.get(code);
      if (!who) return json(res, { errcode: 40029, errmsg: 'invalid code' });
      codes.delete(code); // a WeChat code is good for one use
      return json(res, url.pathname === '/sns/jscode2session'
        ? { openid: who.openid, session_key: 'fake-session-key', ...(who.unionid ? { unionid: who.unionid } : {}) }
        : { access_token: 'fake-access-token', expires_in: 7200, refresh_token: 'fake-refresh', openid: who.openid, scope: 'snsapi_base', ...(who.unionid ? { unionid: who.unionid } : {}) });
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errcode: 404, errmsg: 'not found' }));
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', r));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    appId,
    appSecret,
    get authorizeCode() {
      return fake.authorizeCode;
    },
    set authorizeCode(code: string) {
      fake.authorizeCode = code;
    },
    addCode: (code, openid, unionid) => void codes.set(code, { openid, unionid }),
    calls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
