import mongoose from 'mongoose';
import { logger } from '../../core/logger';
import { daysBefore } from '../../core/time';
import { retentionRules } from '../manifest';
import type { RetentionRule } from '../types';

/**
 * The bot's saved conversation state (bots/store.ts) of contacts idle for a week is cleared: it may
 * hold what a person was typing (a half-finished registration). The contact's document stays, so the
 * bot still knows it met them. By collection name: src/ does not import the bot.
 */
export const conversationRetention: RetentionRule[] = [
  {
    name: 'bot.idle-conversations',
    apply: async (at) => {
      const res = await mongoose.connection
        .collection('bot_conversations')
        .updateMany({ updatedAt: { $lt: daysBefore(at, 7) }, flow: { $ne: null } }, { $set: { flow: null, step: null, data: null } });
      return { conversationsCleared: res.modifiedCount };
    },
    labels: { conversationsCleared: '个闲置的机器人会话' },
  },
];

/**
 * Retention (PIPL: personal data kept only as long as necessary): every module's rules
 * (`AppModule.retention`), in module order. Every rule reads by age, so the whole job is a handful
 * of collection scans: nightly. Returns what it deleted or anonymized.
 */
export async function applyRetention(at: Date): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const rule of retentionRules()) Object.assign(counts, await rule.apply(at));
  logger.info(counts, 'retention applied');
  return counts;
}

/** "清理了 3 张随手拍照片、12 条居民消息。" — the counts that are not zero, in the modules' words. */
export function retentionSummary(counts: Record<string, number>): string {
  const labels = retentionRules().flatMap((r) => Object.entries(r.labels));
  const parts = labels.filter(([k]) => counts[k]).map(([k, label]) => `${counts[k]} ${label}`);
  return parts.length ? `清理了 ${parts.join('、')}。` : '没有到期需要清理的数据。';
}
