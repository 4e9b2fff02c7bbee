import { trusted } from 'mongoose';
import { daysBefore } from '../../core/time';
import type { RetentionRule } from '../types';
import { RoomMessage } from './rooms.model';

/** Messages posted to group rooms are operational: kept a year, except those still to be sent. */
export const roomsRetention: RetentionRule[] = [
  {
    name: 'rooms.messages',
    apply: async (at) => ({
      roomMessagesDeleted: (
        await RoomMessage.deleteMany({ createdAt: trusted({ $lt: daysBefore(at, 365) }), status: trusted({ $ne: 'pending' }) })
      ).deletedCount,
    }),
    labels: { roomMessagesDeleted: '条群消息' },
  },
];
