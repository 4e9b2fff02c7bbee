import { api } from '../../../api';
import type { BriefView, KeyRate } from '../../../../../modules/briefs/briefs.schema';

/** 工作简报: the weekly briefs the office downloads. */
export type { BriefView, KeyRate };

export const listBriefs = async () => (await api.get<{ items: BriefView[] }>('/api/v1/admin/briefs')).items;

export { formatPercent as pct } from '../../../format';

/** "↑2.1" / "↓0.4" / "持平" / "" (percentage points; nothing when a week has no rate). */
export function change(k: KeyRate): { text: string; dir: 'up' | 'down' | 'flat' | 'none' } {
  if (k.change === null) return { text: '', dir: 'none' };
  const pp = Math.round(k.change * 1000) / 10;
  if (pp === 0) return { text: '持平', dir: 'flat' };
  return { text: `${pp > 0 ? '↑' : '↓'}${Math.abs(pp).toFixed(1)}`, dir: pp > 0 ? 'up' : 'down' };
}
