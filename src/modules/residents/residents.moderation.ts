import { registerModerationKind } from '../moderation';
import { Resident } from './residents.model';

/**
 * A held nickname was never applied: approval applies it (from then on leaderboards show it),
 * rejection leaves the resident's current nickname as it is.
 */
registerModerationKind('nickname', {
  describe: (item) => `您设置的昵称「${item.text}」`,
  release: async (item) => {
    await Resident.updateOne({ _id: item.ref }, { $set: { nickname: item.text } });
  },
  hold: async () => undefined, // never applied, nothing to hide
  reject: async () => false,
  afterReject: '您的昵称保持不变，可以在“我的”里换一个昵称。',
});
