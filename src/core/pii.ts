import crypto from 'node:crypto';
import path from 'node:path';
import { config } from '../config';
import { readOrCreateKeyFile } from './auth';

let key: Buffer | undefined;

/** The data key: DATA_KEY, or (embedded default) generated once under DATA_DIR, owner-only. */
function dataKey(): Buffer {
  if (key) return key;
  const cfg = config();
  key = Buffer.from(cfg.DATA_KEY ?? readOrCreateKeyFile(path.join(cfg.dataDir, 'keys', 'data.key')), 'hex');
  return key;
}

/** AES-256-GCM; the output is iv.tag.ciphertext in base64url. */
export function encrypt(plain: string): string {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', dataKey(), iv);
  const enc = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return [iv, c.getAuthTag(), enc].map((b) => b.toString('base64url')).join('.');
}

export function decrypt(sealed: string): string {
  const [iv, tag, enc] = sealed.split('.').map((s) => Buffer.from(s, 'base64url'));
  const d = crypto.createDecipheriv('aes-256-gcm', dataKey(), iv!);
  d.setAuthTag(tag!);
  return Buffer.concat([d.update(enc!), d.final()]).toString('utf8');
}

/** Keyed hash for finding duplicates without storing the value in the clear. */
export function hmac(value: string, purpose: string): string {
  return crypto.createHmac('sha256', dataKey()).update(`${purpose}:${value}`).digest('hex');
}

export const maskPhone = (p: string): string => (p.length >= 7 ? `${p.slice(0, 3)}****${p.slice(-4)}` : '****');
export const maskIdNumber = (id: string): string =>
  id.length >= 8 ? `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}` : '****';
