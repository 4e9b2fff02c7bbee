import { checkLinkToken } from '../../core/auth';
import { isDuplicateKey } from '../../core/errors';
import { now } from '../../core/time';
import { UsedLink } from './residents.model';

/** Why a bot link does not open a session: tampered or unreadable, past its 15 minutes, or used. */
export type LinkRefusal = 'invalid' | 'expired' | 'used';

export class LinkRefused extends Error {
  constructor(
    readonly reason: LinkRefusal,
    /** the resident the (well-signed) link was for, so the same resident can be let through again */
    readonly residentId?: string,
    readonly next?: string,
  ) {
    super(`bot link refused: ${reason}`);
  }
}

/**
 * Exchanges a bot link for the resident it opens, once. A link forwarded into a group would
 * otherwise hand the resident's session to everyone who taps it within 15 minutes.
 */
export async function redeemLink(token: string): Promise<{ residentId: string; next: string }> {
  const link = checkLinkToken(token);
  if (typeof link === 'string') throw new LinkRefused(link);
  try {
    await UsedLink.create({ _id: link.id, residentId: link.residentId, usedAt: now(), expiresAt: link.expiresAt });
  } catch (err) {
    if (isDuplicateKey(err)) throw new LinkRefused('used', link.residentId, link.next);
    throw err;
  }
  return { residentId: link.residentId, next: link.next };
}
