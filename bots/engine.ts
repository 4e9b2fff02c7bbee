import { config } from '../src/config';
import { signLinkToken } from '../src/core/auth';
import { toAppError } from '../src/core/http/middleware';
import { logger } from '../src/core/logger';
import { now } from '../src/core/time';
import { registerPushTarget } from '../src/modules/outbox';
import { getResident, residentForIdentity, type ResidentDoc } from '../src/modules/residents';
import { allFlows, HOME_FLOW } from './flows';
import type { Flow, FlowContext, FlowState } from './flows/flow';
import { identityChannelOf, inboundSchema, normalizeText, type Inbound, type Outbound } from './messages';
import { pickFrom } from './pick';
import { claimMessage, loadConversation, recentAfter, saveConversation, type RecentMessage } from './store';
import { texts } from './texts';
import { keyedSerializer } from '../src/core/serialized';

/** Words that leave whatever flow holds the conversation, from anywhere. */
const CANCEL_WORDS = new Set(['返回', '取消', '退出', '返回主菜单']);

export interface EngineOptions {
  flows?: ReadonlyArray<Flow<unknown>>;
  /** messages older than this are ignored (a re-login replays old ones); default BOT_STALE_SECONDS */
  staleAfterMs?: number;
  /** a flow untouched this long is dropped and the contact starts at the menu again */
  idleResetMs?: number;
}

export interface Engine {
  /** Handles one inbound message; returns the replies to send (none for ignored messages). */
  handle(inbound: Inbound): Promise<Outbound[]>;
  /** Whether a group message without an @-mention should still be answered. */
  isKeyword(text: string): boolean;
}

type AnyFlow = Flow<unknown>;
interface LiveState {
  flow: string | null;
  step: string | null;
  data: unknown;
}
const cleared = (): LiveState => ({ flow: null, step: null, data: null });

/** What one message's handling accumulates: replies, and the state to save afterwards. */
interface Turn {
  inbound: Inbound;
  resident: ResidentDoc;
  firstContact: boolean;
  state: LiveState;
  replies: Outbound[];
  /** the conversation's last messages before this one */
  recent: RecentMessage[];
}

function keywordIndex(list: readonly AnyFlow[]): Map<string, AnyFlow> {
  const index = new Map<string, AnyFlow>();
  for (const f of list) {
    for (const k of f.keywords.map(normalizeText)) {
      const other = index.get(k);
      if (other || CANCEL_WORDS.has(k))
        throw new Error(`bot keyword "${k}" of flow ${f.name} is already used by ${other?.name ?? 'cancel'}`);
      index.set(k, f);
    }
  }
  return index;
}

/** One contact's messages are handled in order. */
const serialized = keyedSerializer();

export function h5Url(residentId: string, path = '/'): string {
  const cfg = config();
  const base = (cfg.PUBLIC_URL ?? `http://localhost:${cfg.PORT}`).replace(/\/+$/, '');
  return `${base}/h5/link?t=${encodeURIComponent(signLinkToken(residentId, path))}`;
}

export function createEngine(opts: EngineOptions = {}): Engine {
  const list: readonly AnyFlow[] = opts.flows ?? allFlows();
  const byName = new Map(list.map((f) => [f.name, f]));
  const keywords = keywordIndex(list);
  const home = byName.get(HOME_FLOW);
  if (!home) throw new Error(`the bot needs a "${HOME_FLOW}" flow`);
  const menu = list
    .filter((f) => f.menu)
    .sort((a, b) => a.menu!.order - b.menu!.order)
    .map((f, i) => ({ number: i + 1, label: f.menu!.label, flow: f.name }));
  const staleAfterMs = opts.staleAfterMs ?? config().BOT_STALE_SECONDS * 1000;
  const idleResetMs = opts.idleResetMs ?? 6 * 3600_000;
  const pushTargets = new Set<string>();

  function context(turn: Turn, flow: AnyFlow): FlowContext {
    const text = turn.inbound.kind === 'text' ? normalizeText(turn.inbound.text) : '';
    const push = (o: Outbound) => turn.replies.push(o);
    return {
      resident: turn.resident,
      channel: turn.inbound.channel,
      contactId: turn.inbound.contactId,
      inbound: turn.inbound,
      text,
      firstContact: turn.firstContact,
      state: {
        get: () => savedState(turn.state, flow),
        set: (step, data) => void (turn.state = { flow: flow.name, step, data }),
        clear: () => void (turn.state = cleared()),
      },
      reply: {
        text: (...lines) => push({ kind: 'text', text: lines.join('\n') }),
        image: (file, name) => push({ kind: 'image', file, name }),
        link: (l) => push({ kind: 'link', ...l }),
      },
      h5Link: (path) => h5Url(turn.resident._id, path),
      numbered: (labels) => labels.map((l, i) => `${i + 1}. ${l}`).join('\n'),
      pick: (items, label) => {
        const r = pickFrom(text, items, label);
        return 'item' in r ? r.item : undefined;
      },
      pickOrList: (items, label) => pickFrom(text, items, label),
      menu: () => menu,
      startFlow: (name) => startFlow(turn, name),
      recent: () => turn.recent,
      refreshResident: async () => (turn.resident = await getResident(turn.resident._id)),
    };
  }

  async function startFlow(turn: Turn, name: string): Promise<void> {
    const flow = byName.get(name);
    if (!flow) throw new Error(`unknown bot flow ${name}`);
    turn.state = cleared();
    await flow.start(context(turn, flow));
  }

  async function route(turn: Turn, expired: boolean): Promise<void> {
    const { inbound } = turn;
    const text = inbound.kind === 'text' ? normalizeText(inbound.text) : '';
    if (CANCEL_WORDS.has(text)) {
      if (turn.state.flow) turn.replies.push({ kind: 'text', text: texts.cancelled });
      return startFlow(turn, home!.name);
    }
    const chosen = keywords.get(text);
    if (chosen) return startFlow(turn, chosen.name);
    const active = turn.state.flow ? byName.get(turn.state.flow) : undefined;
    if (active && active !== home) return void (await active.onMessage(context(turn, active), inbound));
    if (expired) turn.replies.push({ kind: 'text', text: texts.expired });
    await home!.onMessage(context(turn, home!), inbound);
  }

  async function converse(inbound: Inbound): Promise<Outbound[]> {
    const id = `${inbound.channel}:${inbound.contactId}`;
    const [resident, saved] = await Promise.all([
      residentForIdentity(identityChannelOf[inbound.channel], inbound.contactId),
      loadConversation(id),
    ]);
    await rememberPushTarget(resident._id, inbound);
    const expired = Boolean(saved?.flow && now().getTime() - saved.updatedAt.getTime() > idleResetMs);
    const before: LiveState = saved && !expired ? { flow: saved.flow ?? null, step: saved.step ?? null, data: saved.data } : cleared();
    const turn: Turn = { inbound, resident, firstContact: !saved, state: before, replies: [], recent: saved?.recent ?? [] };
    try {
      await route(turn, expired);
    } catch (err) {
      turn.state = before; // a failed step leaves the conversation where it was
      turn.replies.push({ kind: 'text', text: apology(err, inbound) });
    }
    // Saved every turn: the state, and the last messages a request for a person will carry.
    await saveConversation({ _id: id, ...turn.state, recent: recentAfter(saved?.recent ?? [], inbound, turn.replies), updatedAt: now() });
    return turn.replies;
  }

  /** Only WeChat contacts can be pushed to; the terminal chat reads its messages in H5 instead. */
  async function rememberPushTarget(residentId: string, inbound: Inbound): Promise<void> {
    const key = `${residentId}:${inbound.contactId}`;
    if (inbound.channel !== 'wechaty' || pushTargets.has(key)) return;
    await registerPushTarget(residentId, 'wechaty', inbound.contactId);
    pushTargets.add(key);
  }

  async function handle(raw: Inbound): Promise<Outbound[]> {
    const parsed = inboundSchema.safeParse(raw);
    if (!parsed.success) {
      logger.warn({ issues: parsed.error.issues.map((i) => i.path.join('.')) }, 'bot inbound rejected');
      return [{ kind: 'text', text: '抱歉，这条消息无法处理，请换一种方式再试。' }];
    }
    const inbound = parsed.data;
    if (now().getTime() - inbound.at.getTime() > staleAfterMs) return [];
    if (inbound.room && !inbound.room.mentioned && !(inbound.kind === 'text' && isKeyword(inbound.text))) return [];
    if (!(await claimMessage(`${inbound.channel}:${inbound.messageId}`, inbound.at))) return [];
    try {
      return await serialized(`${inbound.channel}:${inbound.contactId}`, () => converse(inbound));
    } catch (err) {
      return [{ kind: 'text', text: apology(err, inbound) }];
    }
  }

  function isKeyword(text: string): boolean {
    return keywords.has(normalizeText(text));
  }

  return { handle, isKeyword };
}

/** A person never sees a stack trace: AppErrors are already Chinese, anything else is an apology. */
function apology(err: unknown, inbound: Inbound): string {
  const e = toAppError(err);
  if (e.status < 500) return `${e.message}\n${texts.backHint}`;
  logger.error({ err, channel: inbound.channel, messageId: inbound.messageId }, 'bot message failed');
  return e.code === 'DB_UNAVAILABLE' ? `${e.message}。` : texts.failed;
}

function savedState(state: LiveState, flow: AnyFlow): FlowState<unknown> | undefined {
  if (state.flow !== flow.name || state.step === null) return undefined;
  if (!flow.data) return { step: state.step, data: state.data };
  const parsed = flow.data.safeParse(state.data);
  return parsed.success ? { step: state.step, data: parsed.data } : undefined;
}

let engine: Engine | undefined;

/** The process's engine over the registered flows. */
export function defaultEngine(): Engine {
  return (engine ??= createEngine());
}

export const handle = (inbound: Inbound): Promise<Outbound[]> => defaultEngine().handle(inbound);
