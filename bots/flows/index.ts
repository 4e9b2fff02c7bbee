/**
 * The flow registry: every conversation the bot can hold. The engine (bots/engine.ts) routes each
 * message: "返回"/"取消" → main menu; an exact keyword → that flow's start(); otherwise the flow
 * holding the conversation gets onMessage(); with none, the menu flow does (menu numbers, greetings,
 * anything it does not understand).
 *
 * The list is the bot's own flows below and every flow a module declares in its manifest
 * (`AppModule.botFlows`, src/modules/types.ts), in module order.
 *
 * Adding a feature's flow:
 *   1. Write src/modules/<m>/<m>.flow.ts exporting `const <m>Flow: Flow<D> = { name, keywords, menu?, data?, start, onMessage }`
 *      with `import type { Flow } from '<…>/bots/flows/flow'` (types only: src/ never loads the bot at
 *      run time) and list it in the module's manifest: `botFlows: [<m>Flow]`.
 *      Flows that need the bot's own helpers (questions.ts, region-choice.ts) stay here, in the list below.
 *   2. start(ctx) asks the first question and calls ctx.state.set(step, data) to keep the
 *      conversation; onMessage(ctx, inbound) reads ctx.state.get(), answers with ctx.reply.*, and calls
 *      ctx.state.set(...) again or ctx.state.clear() when done. Give `data` a zod schema: the state
 *      lives in MongoDB and is re-validated when a conversation resumes after a restart.
 *   3. Call the module services through the module's index.ts (src/modules/<m>) — never HTTP, never a copy of their
 *      rules. A thrown AppError is shown to the person as is (its message is Chinese); anything else
 *      becomes a polite apology, and the saved state is left as it was before the message.
 *   4. Numbered choices: ctx.numbered(labels) prints them, ctx.pick(items, label) reads the answer.
 *      Pages that are better in a browser: ctx.reply.link({ title, description, url: ctx.h5Link('/quiz') }).
 *   5. Every text a person reads is Simplified Chinese. Keywords must be unique across flows
 *      (the engine refuses to start otherwise) and are matched exactly, after normalization.
 *   6. Add a conversation test under test/bot/ driving engine.handle().
 */
import { botFlows } from '../../src/modules';
import { dailyQuizFlow } from './daily-quiz';
import { elderFlow } from './elder';
import type { Flow } from './flow';
import { helpFlow } from './help';
import { humanFlow } from './human';
import { linkFlow } from './link';
import { meFlow } from './me';
import { menuFlow } from './menu';
import { privacyFlow } from './privacy';
import { quizFlow } from './quiz';
import { regionFlow } from './region';
import { surveyFlow } from './survey';
import { tipoffFlow } from './tipoff';
import { volunteerFlow } from './volunteer';

/** The flow that holds a conversation when no other does. */
export const HOME_FLOW = menuFlow.name;

/** The bot's own flows and the features' flows written beside the bot. */
export const ownFlows: ReadonlyArray<Flow<unknown>> = [
  menuFlow,
  quizFlow,
  volunteerFlow,
  tipoffFlow,
  surveyFlow,
  meFlow,
  helpFlow,
  regionFlow,
  linkFlow,
  dailyQuizFlow,
  humanFlow,
  privacyFlow,
  elderFlow,
];

/** A flow from a module's manifest, checked at start: the manifest types it only by name and keywords. */
function asFlow(def: { name: string }): Flow<unknown> {
  const f = def as Partial<Flow<unknown>>;
  if (typeof f.start !== 'function' || typeof f.onMessage !== 'function')
    throw new Error(`bot flow "${def.name}" has no start() or onMessage(): write it with defineFlow`);
  return f as Flow<unknown>;
}

/** Every flow; each validates its own saved data (Flow.data), so they share one list. */
export function allFlows(): ReadonlyArray<Flow<unknown>> {
  return [...ownFlows, ...botFlows().map(asFlow)];
}
