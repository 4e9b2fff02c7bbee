import { z } from 'zod';

/** One line of a record as the owner reads it: a Chinese label and the value as shown. */
export const dataFieldSchema = z.object({ label: z.string(), value: z.string() });
export const dataItemSchema = z.object({ title: z.string(), fields: z.array(dataFieldSchema) });
export const dataGroupSchema = z.object({
  kind: z.string(),
  label: z.string(),
  /** what the group holds and how long it is kept, in Chinese */
  note: z.string(),
  items: z.array(dataItemSchema),
});
export const myDataSchema = z.object({ residentId: z.string(), generatedAt: z.string(), groups: z.array(dataGroupSchema) });
export type DataField = z.infer<typeof dataFieldSchema>;
export type DataItem = z.infer<typeof dataItemSchema>;
export type DataGroup = z.infer<typeof dataGroupSchema>;
export type MyData = z.infer<typeof myDataSchema>;

export const exportQuery = z.object({ format: z.enum(['json']).default('json') });

export const consentKinds = ['push-notices', 'daily-question', 'volunteer-data'] as const;
export type ConsentKind = (typeof consentKinds)[number];

export const consentViewSchema = z.object({
  kind: z.enum(consentKinds),
  label: z.string(),
  description: z.string(),
  granted: z.boolean(),
  /** when it was given or last withdrawn; null when never recorded */
  at: z.string().nullable(),
  /** what withdrawing stops, in Chinese */
  effect: z.string(),
});
export const consentListSchema = z.object({ items: z.array(consentViewSchema) });
export const consentParams = z.object({ kind: z.enum(consentKinds) });
export type ConsentView = z.infer<typeof consentViewSchema>;

/** The phrase the resident types to confirm 注销, so a stray tap never closes an account. */
export const CLOSURE_PHRASE = '确认注销';
export const closureBodySchema = z.object({ confirm: z.string().max(20) });
export const closureResultSchema = z.object({
  status: z.literal('accepted'),
  closedAt: z.string(),
  /** when the background erasure has finished at the latest (24 h after closing) */
  erasureCompletesBy: z.string(),
  erased: z.array(z.string()),
  kept: z.array(z.string()),
});
export type ClosureResult = z.infer<typeof closureResultSchema>;
