import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import type { Context, Next } from 'koa';
import { z } from 'zod';
import { config } from '../config';
import { forbidden, unauthenticated } from './errors';

export const roles = ['admin', 'office', 'unit', 'enumerator'] as const;
export type Role = (typeof roles)[number];

export const principalSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('resident'), residentId: z.string() }),
  // sv: the account's session version when the token was signed; a bump (disable, role change,
  // password reset) ends every older session.
  z.object({
    kind: z.literal('staff'),
    staffId: z.string(),
    username: z.string(),
    role: z.enum(roles),
    unitCode: z.string().optional(),
    sv: z.number().int().optional(),
  }),
]);
export type Principal = z.infer<typeof principalSchema>;
export type ResidentPrincipal = Extract<Principal, { kind: 'resident' }>;
export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;

export const COOKIE_NAME = 'wm_session';
const TTL = { resident: 30 * 24 * 3600, staff: 8 * 3600, link: 15 * 60 } as const;

let secret: string | undefined;

/**
 * The signing secret: SESSION_SECRET, or (embedded default) one generated once under DATA_DIR with
 * owner-only permissions so that tokens survive a restart.
 */
export function sessionSecret(): string {
  if (secret) return secret;
  const cfg = config();
  if (cfg.SESSION_SECRET) return (secret = cfg.SESSION_SECRET);
  secret = readOrCreateKeyFile(path.join(cfg.dataDir, 'keys', 'session.key'));
  return secret;
}

let key: { secret: string; object: crypto.KeyObject } | undefined;

/**
 * The secret as a KeyObject for signing and verifying: given a string, jsonwebtoken first tries it
 * as a PEM public key (a thrown error per call) before using it as an HMAC secret.
 */
export function sessionKey(): crypto.KeyObject {
  const s = sessionSecret();
  if (key?.secret !== s) key = { secret: s, object: crypto.createSecretKey(Buffer.from(s, 'utf8')) };
  return key.object;
}

export function readOrCreateKeyFile(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = crypto.randomBytes(32).toString('hex');
  try {
    fs.writeFileSync(file, key + '\n', { mode: 0o600, flag: 'wx' });
    return key;
  } catch {
    return fs.readFileSync(file, 'utf8').trim(); // another process won the race
  }
}

export function signToken(p: Principal, ttlSeconds?: number): string {
  return jwt.sign(p, sessionKey(), { algorithm: 'HS256', expiresIn: ttlSeconds ?? TTL[p.kind] });
}

export function verifyToken(token: string): Principal | undefined {
  try {
    const payload = jwt.verify(token, sessionKey(), { algorithms: ['HS256'] });
    const parsed = principalSchema.safeParse(payload);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** How long a bot link may wait before it is opened (it opens once: see residents.links.ts). */
export const LINK_TTL_SECONDS = TTL.link;

/**
 * A short-lived signed link token the bot hands a resident to open H5 as the same resident. Its
 * random id (jti) is what makes it single-use: the exchange inserts the id, once.
 */
export function signLinkToken(residentId: string, next = '/'): string {
  return jwt.sign({ rid: residentId, next, typ: 'link' }, sessionKey(), {
    algorithm: 'HS256',
    expiresIn: TTL.link,
    jwtid: crypto.randomBytes(16).toString('base64url'),
  });
}

export interface LinkToken {
  id: string;
  residentId: string;
  next: string;
  expiresAt: Date;
}

/** Why a link token is refused: a bad signature or shape, or past its 15 minutes. */
export type LinkTokenFault = 'invalid' | 'expired';

export function checkLinkToken(token: string): LinkToken | LinkTokenFault {
  try {
    const p = jwt.verify(token, sessionKey(), { algorithms: ['HS256'] }) as {
      rid?: unknown;
      next?: unknown;
      typ?: unknown;
      jti?: unknown;
      exp?: unknown;
    };
    if (p.typ !== 'link' || typeof p.rid !== 'string' || typeof p.jti !== 'string' || typeof p.exp !== 'number') return 'invalid';
    const next = typeof p.next === 'string' && p.next.startsWith('/') && !p.next.startsWith('//') ? p.next : '/';
    return { id: p.jti, residentId: p.rid, next, expiresAt: new Date(p.exp * 1000) };
  } catch (err) {
    return (err as Error).name === 'TokenExpiredError' ? 'expired' : 'invalid';
  }
}

/** The token's content when it is well signed and unexpired (whether it was used is not checked here). */
export function verifyLinkToken(token: string): { residentId: string; next: string } | undefined {
  const link = checkLinkToken(token);
  return typeof link === 'string' ? undefined : { residentId: link.residentId, next: link.next };
}

/**
 * The flags of every cookie the service sets. `secure` follows the request: served over TLS, or
 * behind a proxy that terminates TLS when TRUST_PROXY lets Koa believe its X-Forwarded-Proto, the
 * cookie is never sent back over plain HTTP; on a LAN or localhost over HTTP it still works.
 */
export function cookieFlags(ctx: Context): { httpOnly: true; sameSite: 'lax'; secure: boolean } {
  return { httpOnly: true, sameSite: 'lax', secure: ctx.secure };
}

export function setSessionCookie(ctx: Context, token: string, p: Principal): void {
  ctx.cookies.set(COOKIE_NAME, token, { ...cookieFlags(ctx), maxAge: TTL[p.kind] * 1000, overwrite: true });
}

/** What the staff module says about an account now (read by _id, cached briefly). */
export interface StaffGate {
  disabled: boolean;
  sessionVersion: number;
  mustChangePassword: boolean;
}
type StaffGateLoader = (staffId: string) => Promise<StaffGate | undefined>;
let staffGate: StaffGateLoader | undefined;

/** The staff module registers how to read an account's state; core never imports a module. */
export function registerStaffGate(loader: StaffGateLoader): void {
  staffGate = loader;
}

type ResidentGateLoader = (residentId: string) => Promise<boolean>;
let residentGate: ResidentGateLoader | undefined;

/** The residents module registers whether a resident still exists (a closed account's sessions end at once). */
export function registerResidentGate(loader: ResidentGateLoader): void {
  residentGate = loader;
}

/**
 * Reads the Bearer header or the wm_session cookie into ctx.state.auth; never rejects by itself.
 * A staff token counts only while its account is enabled and the token's session version is the
 * account's (a disabled, reset or re-roled account's older sessions read as signed out).
 */
export async function authenticate(ctx: Context, next: Next): Promise<void> {
  const header = ctx.get('authorization');
  const token = header.startsWith('Bearer ') ? header.slice(7).trim() : ctx.cookies.get(COOKIE_NAME);
  let auth = token ? verifyToken(token) : undefined;
  if (auth?.kind === 'staff' && staffGate) {
    const gate = await staffGate(auth.staffId);
    if (!gate || gate.disabled || gate.sessionVersion !== (auth.sv ?? 0)) auth = undefined;
    else if (gate.mustChangePassword) ctx.state.passwordChangeRequired = true;
  }
  if (auth?.kind === 'resident' && residentGate && !(await residentGate(auth.residentId))) auth = undefined;
  ctx.state.auth = auth;
  await next();
}

export type Access = 'public' | 'resident' | 'staff' | readonly Role[];

/** Throws 401/403 unless the principal satisfies the access rule. */
export function authorize(principal: Principal | undefined, access: Access): void {
  if (access === 'public') return;
  if (!principal) throw unauthenticated();
  if (access === 'resident') {
    if (principal.kind !== 'resident') throw forbidden('此功能仅供居民使用');
    return;
  }
  if (principal.kind !== 'staff') throw forbidden('此功能仅供工作人员使用');
  if (access === 'staff') {
    // 调查员 accounts (入户调查) use their own endpoints and their account only, never the console's.
    if (principal.role === 'enumerator') throw forbidden('调查员账号只能使用入户调查功能');
    return;
  }
  if (!access.includes(principal.role)) throw forbidden();
}

export function residentOf(p: Principal | undefined): ResidentPrincipal {
  if (!p) throw unauthenticated();
  if (p.kind !== 'resident') throw forbidden('此功能仅供居民使用');
  return p;
}

export function staffOf(p: Principal | undefined): StaffPrincipal {
  if (!p) throw unauthenticated();
  if (p.kind !== 'staff') throw forbidden('此功能仅供工作人员使用');
  return p;
}
