import crypto from 'node:crypto';

/**
 * WeChat's message signing and 安全模式 encryption, with Node's crypto only:
 * - `signature` = sha1 of the sorted strings (token, timestamp, nonce[, Encrypt]) joined;
 * - the body is AES-256-CBC with key = base64(EncodingAESKey + '='), IV = the key's first 16 bytes,
 *   padded with PKCS#7 to 32-byte blocks (not AES's 16: WeChat's own rule, so Node's padding is off),
 *   over random(16) · length(4, big-endian) · message · AppID.
 */
export function signature(...parts: string[]): string {
  return crypto
    .createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');
}

/** Constant-time comparison of a received signature with the expected one. */
export function signatureMatches(received: string | undefined, ...parts: string[]): boolean {
  if (!received) return false;
  const a = Buffer.from(received.toLowerCase());
  const b = Buffer.from(signature(...parts));
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

const BLOCK = 32;

export class MpCipher {
  private readonly key: Buffer;

  constructor(
    aesKey: string,
    private readonly appId: string,
  ) {
    this.key = Buffer.from(aesKey + '=', 'base64');
    if (this.key.length !== 32) throw new Error('EncodingAESKey must decode to 32 bytes');
  }

  encrypt(message: string, random = crypto.randomBytes(16)): string {
    const body = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const plain = Buffer.concat([random, length, body, Buffer.from(this.appId, 'utf8')]);
    const pad = BLOCK - (plain.length % BLOCK);
    const cipher = crypto.createCipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16)).setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
  }

  /** The message inside, or undefined when it does not decrypt, is malformed or is for another AppID. */
  decrypt(encrypted: string): string | undefined {
    try {
      const decipher = crypto.createDecipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16)).setAutoPadding(false);
      const padded = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
      const pad = padded[padded.length - 1]!;
      if (pad < 1 || pad > BLOCK) return undefined;
      const plain = padded.subarray(0, padded.length - pad);
      const length = plain.readUInt32BE(16);
      if (20 + length > plain.length) return undefined;
      if (plain.subarray(20 + length).toString('utf8') !== this.appId) return undefined;
      return plain.subarray(20, 20 + length).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
