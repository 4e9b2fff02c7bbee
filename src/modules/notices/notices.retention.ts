import { trusted } from 'mongoose';
import { daysBefore } from '../../core/time';
import type { RetentionRule } from '../types';
import { StaffNotice } from './notices.model';

/** Staff notices are operational: kept a year. */
export const noticesRetention: RetentionRule[] = [
  {
    name: 'notices.staff',
    apply: async (at) => ({
      noticesDeleted: (await StaffNotice.deleteMany({ createdAt: trusted({ $lt: daysBefore(at, 365) }) })).deletedCount,
    }),
    labels: { noticesDeleted: '条工作通知' },
  },
];
