import type { Engine } from '../../bots/engine';
import type { Inbound, Outbound } from '../../bots/messages';

/** A contact talking to an engine: each call is one message with a fresh id, sent "now". */
export function contact(engine: Engine, contactId: string, channel: Inbound['channel'] = 'chat') {
  let seq = 0;
  const base = () => ({ channel, contactId, messageId: `${contactId}-${Date.now()}-${++seq}`, at: new Date() });
  return {
    say: (text: string, extra: Partial<Inbound> = {}) => engine.handle({ ...base(), kind: 'text', text, ...extra } as Inbound),
    image: (file: Buffer) => engine.handle({ ...base(), kind: 'image', file, name: 'photo.png' }),
    location: (lat: number, lng: number, address?: string) => engine.handle({ ...base(), kind: 'location', lat, lng, address }),
  };
}

/** All reply texts (and link titles/urls) joined, for matching. */
export function said(replies: Outbound[]): string {
  return replies.map((r) => (r.kind === 'text' ? r.text : r.kind === 'link' ? `${r.title} ${r.url}` : `[图片 ${r.name}]`)).join('\n');
}

export const hasChinese = (s: string) => /[\u4e00-\u9fa5]/.test(s);
