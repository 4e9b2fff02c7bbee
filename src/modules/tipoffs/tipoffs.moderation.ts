import { logger } from '../../core/logger';
import { registerModerationKind } from '../moderation';
import { Tipoff, type TipoffDoc } from './tipoffs.model';
import { transitionTipoff } from './tipoffs.transitions';

const setModeration = (id: string, moderation: 'held' | 'rejected' | null) => Tipoff.updateOne({ _id: id }, { $set: { moderation } });

/**
 * A held tip-off is hidden from the public (the Open311 feed) until the office approves it; a
 * rejected one stays hidden and, when still waiting for triage, is closed as 不予受理 with the
 * office's reason (the reporter gets the usual 不予受理 notice, so moderation sends none).
 */
registerModerationKind('tipoff', {
  describe: (item) => `您的随手拍（编号 ${item.ref}）`,
  release: (item) => setModeration(item.ref, null).then(() => undefined),
  hold: (item) => setModeration(item.ref, 'held').then(() => undefined),
  async reject(item, reason, staff) {
    await setModeration(item.ref, 'rejected');
    const doc = await Tipoff.findById(item.ref, { status: 1 }).lean<Pick<TipoffDoc, 'status'>>();
    if (doc?.status !== 'submitted') return false;
    try {
      await transitionTipoff(item.ref, staff, { action: 'reject', note: `内容未通过审核：${reason}` });
      return true;
    } catch (err) {
      logger.warn({ err, tipoff: item.ref }, 'held tip-off not closed as 不予受理');
      return false;
    }
  },
  afterReject: '该随手拍不会公开。',
});
