import type { z } from 'zod';
import type { ResidentDoc } from '../../src/modules/residents';
import type { BotChannel, Inbound, LinkReply } from '../messages';
import type { PickResult } from '../pick';
import type { RecentMessage } from '../store';

/** Where a flow stands in a conversation, as saved in bot_conversations. */
export interface FlowState<D> {
  step: string;
  data: D;
}

/** What a flow sees and does while handling one message. Replies are sent after the flow returns. */
export interface FlowContext<D = unknown> {
  readonly resident: ResidentDoc;
  readonly channel: BotChannel;
  readonly contactId: string;
  readonly inbound: Inbound;
  /** the message text, normalized (half-width digits, trimmed, lower case); '' for images and locations */
  readonly text: string;
  /** true on the very first message the bot receives from this contact */
  readonly firstContact: boolean;
  readonly state: {
    /** this flow's saved step and data; undefined when it has none (or saved data no longer parses) */
    get(): FlowState<D> | undefined;
    /** continue here: the contact's next message goes to this flow's onMessage */
    set(step: string, data: D): void;
    /** end this flow: the next message goes to the main menu */
    clear(): void;
  };
  readonly reply: {
    /** one chat bubble; several lines are joined with newlines */
    text(...lines: string[]): void;
    image(file: Buffer, name: string): void;
    link(link: LinkReply): void;
  };
  /** a signed, short-lived link that opens the H5 page at `path` (e.g. '/me') as this resident */
  h5Link(path?: string): string;
  /** "1. a\n2. b" — the lines of a numbered choice */
  numbered(labels: readonly string[]): string;
  /** the item the message picks, by its number (1-based), its label or a part only it has; undefined otherwise */
  pick<T>(items: readonly T[], label: (item: T) => string): T | undefined;
  /** like pick, but says when a part of a name fits several items (show them with severalText) */
  pickOrList<T>(items: readonly T[], label: (item: T) => string): PickResult<T>;
  /** the main-menu entries in order, numbered from 1 */
  menu(): ReadonlyArray<{ number: number; label: string; flow: string }>;
  /** ends this flow and starts another (its start() runs now), e.g. 'menu' when done */
  startFlow(name: string): Promise<void>;
  /** the conversation's last messages before this one (both ways, cut short) */
  recent(): readonly RecentMessage[];
  /** re-reads the resident after a service changed it */
  refreshResident(): Promise<ResidentDoc>;
}

/** One feature's conversation. See bots/flows/index.ts for how to add one. */
export interface Flow<D = unknown> {
  /** unique, lower case; stored in the conversation state */
  name: string;
  /** exact words (after normalization) that start this flow from anywhere */
  keywords: readonly string[];
  /** shown in the numbered main menu, sorted by order */
  menu?: { order: number; label: string };
  /** validates saved data when a conversation resumes (state written by an older version may not fit) */
  data?: z.ZodType<D>;
  /** the flow was chosen (menu number or keyword): greet, ask the first question, maybe state.set() */
  start(ctx: FlowContext<D>): Promise<void> | void;
  /** a message arrived while this flow holds the conversation (after state.set()) */
  onMessage(ctx: FlowContext<D>, inbound: Inbound): Promise<void> | void;
}

/** Identity function that lets TypeScript infer D from the data schema. */
export function defineFlow<D>(flow: Flow<D>): Flow<D> {
  return flow;
}
