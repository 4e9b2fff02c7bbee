/**
 * The flow registry: every conversation the bot can hold. The engine (bots/engine.ts) routes each
 * message: "返回"/"取消" → main menu; an exact keyword → that flow's start(); otherwise the flow
 * holding the conversation gets onMessage(); with none, the menu flow does (menu numbers, greetings,
 * anything it does not understand).
 *
 * Adding a feature's flow:
 *   1. Write bots/flows/<name>.ts exporting `defineFlow({ name, keywords, menu?, data?, start, onMessage })`
 *      and add it to the list below.
 *   2. start(ctx) asks the first question and calls ctx.state.set(step, data) to keep the
 *      conversation; onMessage(ctx, inbound) reads ctx.state.get(), answers with ctx.reply.*, and calls
 *      ctx.state.set(...) again or ctx.state.clear() when done. Give `data` a zod schema: the state
 *      lives in MongoDB and is re-validated when a conversation resumes after a restart.
 *   3. Call the module services (src/modules/<m>/<m>.service.ts) — never HTTP, never a copy of their
 *      rules. A thrown AppError is shown to the person as is (its message is Chinese); anything else
 *      becomes a polite apology, and the saved state is left as it was before the message.
 *   4. Numbered choices: ctx.numbered(labels) prints them, ctx.pick(items, label) reads the answer.
 *      Pages that are better in a browser: ctx.reply.link({ title, description, url: ctx.h5Link('/quiz') }).
 *   5. Every text a person reads is Simplified Chinese. Keywords must be unique across flows
 *      (the engine refuses to start otherwise) and are matched exactly, after normalization.
 *   6. Add a conversation test under test/bot/ driving engine.handle().
 */
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

/** Every flow; each validates its own saved data (Flow.data), so they share one list. */
export const flows: ReadonlyArray<Flow<unknown>> = [
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
