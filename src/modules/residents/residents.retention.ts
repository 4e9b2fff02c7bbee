import { trusted } from 'mongoose';
import { daysBefore } from '../../core/time';
import type { RetentionRule } from '../types';
import { UsedLink } from './residents.model';

/** A used bot link's guard is needed only until the link would have expired anyway (a day on). */
export const residentsRetention: RetentionRule[] = [
  {
    name: 'residents.used-links',
    apply: async (at) => ({
      usedLinksDeleted: (await UsedLink.deleteMany({ expiresAt: trusted({ $lt: daysBefore(at, 1) }) })).deletedCount,
    }),
    labels: { usedLinksDeleted: '条已过期的链接记录' },
  },
];
