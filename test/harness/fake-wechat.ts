import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import parser from 'fast-xml-parser';

/**
 * A local stand-in for WeChat's servers, so sessions are tested without the internet:
 * - `/sns/jscode2session` (mini-program) and `/sns/oauth2/access_token` (H5 OAuth) map a code to
 *   an openid (and unionid) registered with `addCode`; an unknown code gets errcode 40029 as WeChat does;
 * - `/connect/oauth2/authorize` plays the user's WeChat client: it sends the browser back to
 *   `redirect_uri` with `authorizeCode` and the state it was given;
 * - the Official Account API: `/cgi-bin/token` (a new token invalidates the previous one, so two
 *   instances that each fetch one break each other, as they would at WeChat), `/cgi-bin/media/get`
 *   (files added with `addMedia`, optionally slow), `/cgi-bin/media/upload`, `/cgi-bin/message/custom/send`,
 *   `/cgi-bin/user/info`, `/cgi-bin/menu/create`; each refuses a stale token with errcode 40001;
 * - 公众号模板消息 `/cgi-bin/message/template/send` (recorded in `mp.templates`) and the mini-program's
 *   (its own AppID, `miniAppId`) 订阅消息 `/cgi-bin/message/subscribe/send` (in `mp.subscribes`);
 * - a 企业微信 group robot at `/cgi-bin/webhook/send?key=…` (`wecom`): markdown ≤ 4096 bytes,
 *   text ≤ 2048, images ≤ 2 MB with a matching md5, at most `perMinute` posts in any `windowMs`
 *   (past it errcode 45009, as WeCom answers);
 * - content security (内容安全 v2): `/wxa/msg_sec_check` answers `textVerdict(content)` (default pass),
 *   `/wxa/media_check_async` records the check, downloads `media_url` as WeChat would and answers a
 *   trace_id; `pushMediaVerdict()` later posts WeChat's `wxa_media_check` event with the verdict;
 * - WeChat's side of the message endpoint: `push()` signs (and in 安全模式 encrypts) a message the
 *   way WeChat does, posts it, and reads the passive reply (written apart from the service's code).
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
  mp: FakeMp;
  /** the mini-program's credentials (/cgi-bin/token, /sns/jscode2session) */
  miniAppId: string;
  miniAppSecret: string;
  wecom: FakeWecom;
  close(): Promise<void>;
}

export interface FakeWecom {
  key: string;
  url: string;
  perMinute: number;
  windowMs: number;
  /** every accepted post, newest last, with when it arrived (ms) */
  messages: Array<{
    at: number;
    msgtype: string;
    markdown?: { content: string };
    text?: { content: string };
    image?: { base64: string; md5: string };
  }>;
  /** posts refused (too long, too big, too fast), with the errcode answered */
  refused: Array<{ at: number; errcode: number }>;
}

export interface FakeMp {
  /** what the Official Account's server configuration holds (Token, EncodingAESKey) */
  token: string;
  aesKey?: string;
  /** seconds a new access_token lives */
  tokenExpiresIn: number;
  tokenRequests: number;
  /** every 客服消息 sent, newest last */
  custom: Array<{ touser: string; msgtype: string; text?: { content: string }; image?: { media_id: string } }>;
  /** every 模板消息 sent by the Official Account, newest last */
  templates: Array<{ touser: string; template_id: string; url?: string; data: Record<string, { value: string }> }>;
  /** every 订阅消息 sent by the mini-program, newest last */
  subscribes: Array<{ touser: string; template_id: string; page?: string; data: Record<string, { value: string }> }>;
  menus: unknown[];
  /** how long /cgi-bin/media/get takes to answer (a slow download makes a slow turn) */
  mediaDelayMs: number;
  addMedia(mediaId: string, file: Buffer, type?: string): void;
  addFollower(openid: string, unionid?: string): void;
  /** the next `times` calls of `path` answer this errcode (e.g. -1 busy) */
  failNext(path: string, errcode: number, times?: number): void;
  /** msg_sec_check's verdict on a text (default: pass, label 100) */
  textVerdict: (content: string) => { suggest: 'pass' | 'review' | 'risky'; label: number };
  /** every msg_sec_check request body, newest last */
  textChecks: Array<{ openid: string; scene: number; version: number; content: string }>;
  /** every media_check_async request, with the HTTP status of WeChat's download of media_url */
  mediaChecks: Array<{
    traceId: string;
    media_url: string;
    media_type: number;
    version: number;
    scene: number;
    openid: string;
    downloaded: Promise<number>;
  }>;
  /** WeChat's asynchronous verdict on a photo, pushed to the message endpoint as the `wxa_media_check` event */
  pushMediaVerdict(
    endpoint: string,
    traceId: string,
    suggest: 'pass' | 'review' | 'risky',
    label?: number,
  ): Promise<{ status: number; text: string }>;
  /** WeChat POSTs a message to the endpoint; `reply` is the decrypted passive reply's fields, if any */
  push(
    endpoint: string,
    fields: Record<string, XmlValue>,
    opts?: PushOptions,
  ): Promise<{ status: number; text: string; reply?: Record<string, string> }>;
}

export interface PushOptions {
  badSignature?: boolean;
  encrypt?: boolean;
  /** the push's `timestamp` (seconds), signed as given: a replayed or skewed push (default: now) */
  timestamp?: number;
}

type XmlValue = string | number | Record<string, string | number>;
const cdata = (v: XmlValue): string =>
  typeof v === 'number'
    ? String(v)
    : typeof v === 'string'
      ? `<![CDATA[${v}]]>`
      : Object.entries(v)
          .map(([k, iv]) => `<${k}>${cdata(iv)}</${k}>`)
          .join('');
const toXml = (fields: Record<string, XmlValue>) =>
  `<xml>${Object.entries(fields)
    .map(([k, v]) => `<${k}>${cdata(v)}</${k}>`)
    .join('')}</xml>`;
const sha1 = (...parts: string[]) => crypto.createHash('sha1').update(parts.sort().join('')).digest('hex');
const readXml = (text: string): Record<string, string> => {
  const xml = (parser.parse(text, { parseNodeValue: false }) as { xml: Record<string, unknown> }).xml;
  return Object.fromEntries(Object.entries(xml).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]));
};

/** WeChat's 安全模式 as its documentation describes it: AES-256-CBC, IV = key[0:16], PKCS#7 to 32 bytes. */
function aes(aesKey: string) {
  const key = Buffer.from(aesKey + '=', 'base64');
  return {
    seal(xml: string, appId: string): string {
      const msg = Buffer.from(xml);
      const len = Buffer.alloc(4);
      len.writeUInt32BE(msg.length, 0);
      const plain = Buffer.concat([crypto.randomBytes(16), len, msg, Buffer.from(appId)]);
      const n = 32 - (plain.length % 32);
      const c = crypto.createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
      c.setAutoPadding(false);
      return Buffer.concat([c.update(Buffer.concat([plain, Buffer.alloc(n, n)])), c.final()]).toString('base64');
    },
    open(b64: string): { xml: string; appId: string } {
      const d = crypto.createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
      d.setAutoPadding(false);
      const plain = Buffer.concat([d.update(Buffer.from(b64, 'base64')), d.final()]);
      const body = plain.subarray(0, plain.length - plain[plain.length - 1]!);
      const len = body.readUInt32BE(16);
      return { xml: body.subarray(20, 20 + len).toString(), appId: body.subarray(20 + len).toString() };
    },
  };
}

export async function startFakeWeChat(
  opts: { appId?: string; appSecret?: string; mpToken?: string; aesKey?: string; miniAppId?: string; miniAppSecret?: string } = {},
): Promise<FakeWeChat> {
  const appId = opts.appId ?? 'wx-test-appid';
  const appSecret = opts.appSecret ?? 'wx-test-secret';
  const miniAppId = opts.miniAppId ?? 'wx-mini-appid';
  const miniAppSecret = opts.miniAppSecret ?? 'wx-mini-secret';
  let liveToken = '';
  let miniToken = '';
  const wecom: FakeWecom = { key: 'wecom-robot-key', url: '', perMinute: 20, windowMs: 60_000, messages: [], refused: [] };
  const media = new Map<string, { file: Buffer; type: string }>();
  const followers = new Map<string, string | undefined>();
  const failures = new Map<string, { errcode: number; times: number }>();
  const mp: FakeMp = {
    token: opts.mpToken ?? 'wenmingtoken',
    aesKey: opts.aesKey,
    tokenExpiresIn: 7200,
    tokenRequests: 0,
    custom: [],
    templates: [],
    subscribes: [],
    menus: [],
    mediaDelayMs: 0,
    addMedia: (id, file, type = 'image/jpeg') => void media.set(id, { file, type }),
    addFollower: (openid, unionid) => void followers.set(openid, unionid),
    failNext: (path, errcode, times = 1) => void failures.set(path, { errcode, times }),
    textVerdict: () => ({ suggest: 'pass', label: 100 }),
    textChecks: [],
    mediaChecks: [],
    pushMediaVerdict: (endpoint, traceId, suggest, label = suggest === 'pass' ? 100 : 20002) =>
      push(endpoint, {
        ToUserName: 'gh_wenming',
        FromUserName: 'system',
        CreateTime: Math.floor(Date.now() / 1000),
        MsgType: 'event',
        Event: 'wxa_media_check',
        appid: appId,
        trace_id: traceId,
        version: 2,
        detail: { strategy: 'content_model', errcode: 0, suggest, label },
        errcode: 0,
        errmsg: 'ok',
        result: { suggest, label },
      }),
    push: (endpoint, fields, o) => push(endpoint, fields, o),
  };

  async function push(endpoint: string, fields: Record<string, XmlValue>, o: PushOptions = {}) {
    const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = crypto.randomBytes(6).toString('hex');
    const url = new URL(endpoint);
    url.searchParams.set('signature', o.badSignature ? sha1('wrong', timestamp, nonce) : sha1(mp.token, timestamp, nonce));
    url.searchParams.set('timestamp', timestamp);
    url.searchParams.set('nonce', nonce);
    url.searchParams.set('openid', String(fields.FromUserName));
    const encrypt = o.encrypt ?? Boolean(mp.aesKey);
    let body = toXml(fields);
    if (encrypt) {
      const enc = aes(mp.aesKey!).seal(body, appId);
      url.searchParams.set('encrypt_type', 'aes');
      url.searchParams.set('msg_signature', sha1(mp.token, timestamp, nonce, enc));
      body = toXml({ ToUserName: String(fields.ToUserName), Encrypt: enc });
    }
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
    const text = await res.text();
    if (res.status !== 200 || !text.startsWith('<xml>')) return { status: res.status, text };
    let reply = readXml(text);
    if (encrypt) {
      // WeChat checks our signature on the encrypted reply before it opens it.
      if (reply.MsgSignature !== sha1(mp.token, reply.TimeStamp!, reply.Nonce!, reply.Encrypt!))
        throw new Error('passive reply msg_signature is wrong');
      const opened = aes(mp.aesKey!).open(reply.Encrypt!);
      if (opened.appId !== appId) throw new Error(`passive reply sealed for ${opened.appId}`);
      reply = readXml(opened.xml);
    }
    return { status: res.status, text, reply };
  }

  const readBody = (req: http.IncomingMessage) =>
    new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
    });

  /** The Official Account API: token checked, scripted failures first. */
  async function cgi(url: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const q = url.searchParams;
    if (url.pathname === '/cgi-bin/token' && q.get('appid') === miniAppId) {
      if (q.get('secret') !== miniAppSecret) return json(res, { errcode: 40125, errmsg: 'invalid appsecret' });
      miniToken = `mini-token-${crypto.randomBytes(4).toString('hex')}`;
      return json(res, { access_token: miniToken, expires_in: 7200 });
    }
    if (url.pathname === '/cgi-bin/token') {
      mp.tokenRequests++;
      if (q.get('appid') !== appId || q.get('secret') !== appSecret) return json(res, { errcode: 40125, errmsg: 'invalid appsecret' });
      liveToken = `mp-token-${mp.tokenRequests}-${crypto.randomBytes(4).toString('hex')}`;
      return json(res, { access_token: liveToken, expires_in: mp.tokenExpiresIn });
    }
    const failure = failures.get(url.pathname);
    if (failure && failure.times-- > 0) return json(res, { errcode: failure.errcode, errmsg: 'scripted failure' });
    if (url.pathname === '/cgi-bin/webhook/send') return robot(q, await readBody(req), res);
    const body = req.method === 'POST' ? await readBody(req) : Buffer.alloc(0);
    if (url.pathname === '/cgi-bin/message/subscribe/send') {
      // The mini-program's own API: its token, not the Official Account's.
      if (!miniToken || q.get('access_token') !== miniToken)
        return json(res, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
      mp.subscribes.push(JSON.parse(body.toString('utf8')));
      return json(res, { errcode: 0, errmsg: 'ok' });
    }
    if (!liveToken || q.get('access_token') !== liveToken)
      return json(res, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
    switch (url.pathname) {
      case '/cgi-bin/media/get': {
        const m = media.get(q.get('media_id') ?? '');
        if (mp.mediaDelayMs) await new Promise((r) => setTimeout(r, mp.mediaDelayMs));
        if (!m) return json(res, { errcode: 40007, errmsg: 'invalid media_id' });
        res.writeHead(200, { 'content-type': m.type, 'content-disposition': 'attachment; filename="photo.jpg"' });
        return void res.end(m.file);
      }
      case '/cgi-bin/media/upload':
        return json(res, {
          type: 'image',
          media_id: `uploaded-${body.length}-${crypto.randomBytes(3).toString('hex')}`,
          created_at: Math.floor(Date.now() / 1000),
        });
      case '/cgi-bin/message/custom/send':
        mp.custom.push(JSON.parse(body.toString('utf8')));
        return json(res, { errcode: 0, errmsg: 'ok' });
      case '/cgi-bin/message/template/send':
        mp.templates.push(JSON.parse(body.toString('utf8')));
        return json(res, { errcode: 0, errmsg: 'ok', msgid: Date.now() });
      case '/cgi-bin/menu/create':
        mp.menus.push(JSON.parse(body.toString('utf8')));
        return json(res, { errcode: 0, errmsg: 'ok' });
      case '/wxa/msg_sec_check': {
        const req = JSON.parse(body.toString('utf8')) as FakeMp['textChecks'][number];
        mp.textChecks.push(req);
        const v = mp.textVerdict(req.content);
        return json(res, {
          errcode: 0,
          errmsg: 'ok',
          trace_id: crypto.randomUUID(),
          result: v,
          detail: [{ strategy: 'content_model', errcode: 0, ...v, prob: 90 }],
        });
      }
      case '/wxa/media_check_async': {
        const req = JSON.parse(body.toString('utf8')) as Omit<FakeMp['mediaChecks'][number], 'traceId' | 'downloaded'>;
        const traceId = crypto.randomUUID();
        // WeChat fetches the photo from media_url on its own time.
        const downloaded = fetch(req.media_url).then(
          async (r) => (await r.arrayBuffer(), r.status),
          () => 0,
        );
        mp.mediaChecks.push({ ...req, traceId, downloaded });
        return json(res, { errcode: 0, errmsg: 'ok', trace_id: traceId });
      }
      case '/cgi-bin/user/info': {
        const openid = q.get('openid') ?? '';
        const unionid = followers.get(openid);
        return json(res, { subscribe: 1, openid, ...(unionid ? { unionid } : {}) });
      }
      default:
        return json(res, { errcode: 404, errmsg: 'not found' });
    }
  }
  /** The 企业微信 group robot: WeCom's limits on size and rate, checked as its documentation states them. */
  function robot(q: URLSearchParams, body: Buffer, res: http.ServerResponse): void {
    const at = Date.now();
    if (q.get('key') !== wecom.key) return json(res, { errcode: 93000, errmsg: 'invalid webhook url' });
    const refuse = (errcode: number, errmsg: string) => {
      wecom.refused.push({ at, errcode });
      json(res, { errcode, errmsg });
    };
    const recent = wecom.messages.filter((m) => at - m.at < wecom.windowMs).length;
    if (recent >= wecom.perMinute) return refuse(45009, 'api freq out of limit');
    const msg = JSON.parse(body.toString('utf8')) as FakeWecom['messages'][number];
    if (msg.msgtype === 'markdown' && Buffer.byteLength(msg.markdown?.content ?? '') > 4096)
      return refuse(40058, 'markdown.content exceed max length 4096');
    if (msg.msgtype === 'text' && Buffer.byteLength(msg.text?.content ?? '') > 2048)
      return refuse(40058, 'text.content exceed max length 2048');
    if (msg.msgtype === 'image') {
      const img = Buffer.from(msg.image?.base64 ?? '', 'base64');
      if (img.length > 2 * 1024 * 1024) return refuse(40009, 'invalid image size');
      if (crypto.createHash('md5').update(img).digest('hex') !== msg.image?.md5) return refuse(301019, 'media md5 not match');
    }
    wecom.messages.push({ ...msg, at });
    json(res, { errcode: 0, errmsg: 'ok' });
  }

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
    if (url.pathname.startsWith('/cgi-bin/') || url.pathname.startsWith('/wxa/')) {
      cgi(url, req, res).catch((err) => {
        res.writeHead(500);
        res.end(String(err));
      });
      return;
    }
    if (url.pathname === '/connect/oauth2/authorize') {
      const back = new URL(q.get('redirect_uri') ?? '');
      back.searchParams.set('code', fake.authorizeCode);
      back.searchParams.set('state', q.get('state') ?? '');
      res.writeHead(302, { location: back.toString() });
      res.end();
      return;
    }
    if (url.pathname === '/sns/jscode2session' || url.pathname === '/sns/oauth2/access_token') {
      const app =
        url.pathname === '/sns/jscode2session' && q.get('appid') === miniAppId
          ? { id: miniAppId, secret: miniAppSecret }
          : { id: appId, secret: appSecret };
      if (q.get('appid') !== app.id || q.get('secret') !== app.secret) return json(res, { errcode: 40125, errmsg: 'invalid appsecret' });
      const code = q.get(url.pathname === '/sns/jscode2session' ? 'js_code' : 'code') ?? '';
      const who = codes.get(code);
      if (!who) return json(res, { errcode: 40029, errmsg: 'invalid code' });
      codes.delete(code); // a WeChat code is good for one use
      return json(
        res,
        url.pathname === '/sns/jscode2session'
          ? { openid: who.openid, session_key: 'fake-session-key', ...(who.unionid ? { unionid: who.unionid } : {}) }
          : {
              access_token: 'fake-access-token',
              expires_in: 7200,
              refresh_token: 'fake-refresh',
              openid: who.openid,
              scope: 'snsapi_base',
              ...(who.unionid ? { unionid: who.unionid } : {}),
            },
      );
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errcode: 404, errmsg: 'not found' }));
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', r));

  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  wecom.url = `${base}/cgi-bin/webhook/send?key=${wecom.key}`;
  return {
    url: base,
    appId,
    appSecret,
    miniAppId,
    miniAppSecret,
    wecom,
    get authorizeCode() {
      return fake.authorizeCode;
    },
    set authorizeCode(code: string) {
      fake.authorizeCode = code;
    },
    addCode: (code, openid, unionid) => void codes.set(code, { openid, unionid }),
    calls,
    mp,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
