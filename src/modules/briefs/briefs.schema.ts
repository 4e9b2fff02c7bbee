import { z } from 'zod';

/** A rate as the statistics endpoints give it. */
export const rateSchema = z.object({
  rate: z.number().nullable(),
  ci: z.tuple([z.number(), z.number()]).nullable(),
  n: z.number(),
  lowSample: z.boolean(),
});
export type RateFigure = z.infer<typeof rateSchema>;

export const keyRateSchema = z.object({
  key: z.enum(['awareness', 'quizAwareness', 'participation', 'satisfaction', 'support', 'volunteers', 'rectification', 'onTime']),
  title: z.string(),
  current: rateSchema,
  previous: rateSchema,
  /** current − previous, in rate units (0.021 = +2.1 个百分点); null when either is missing */
  change: z.number().nullable(),
  /** satisfaction: the 0–100 mean score this week and last */
  meanScore: z.number().nullable().optional(),
  previousMeanScore: z.number().nullable().optional(),
});
export type KeyRate = z.infer<typeof keyRateSchema>;

export const briefFiguresSchema = z.object({
  week: z.string(),
  label: z.string(),
  from: z.string(),
  to: z.string(),
  previousFrom: z.string(),
  previousTo: z.string(),
  rates: z.array(keyRateSchema),
  participation: z.object({ participants: z.number(), previousParticipants: z.number(), population: z.number() }),
  tipoffs: z.object({ total: z.number(), previousTotal: z.number(), accepted: z.number(), rectified: z.number(), overdue: z.number() }),
  districts: z.array(z.object({ code: z.string(), name: z.string(), participation: rateSchema, awareness: rateSchema })),
  units: z.array(
    z.object({
      rank: z.number().nullable(),
      code: z.string(),
      name: z.string(),
      accepted: z.number(),
      rectified: z.number(),
      overdue: z.number(),
      rectificationRate: rateSchema,
      onTimeRate: rateSchema,
      medianHoursToRectify: z.number().nullable(),
      /** the ranking's measure: on time / accepted (absent in briefs made before it) */
      rankingRate: rateSchema.optional(),
      /** fewer than 10 accepted: 样本不足, unranked */
      lowSample: z.boolean().optional(),
    }),
  ),
});
export type BriefFigures = z.infer<typeof briefFiguresSchema>;

export const briefViewSchema = z.object({
  id: z.string(),
  label: z.string(),
  from: z.string(),
  to: z.string(),
  generatedAt: z.string(),
  /** where the bot was asked to post it (room id or topic), null when no room is configured */
  sentTo: z.string().nullable(),
  xlsxUrl: z.string(),
  chartUrl: z.string(),
  text: z.string(),
  figures: briefFiguresSchema,
});
export type BriefView = z.infer<typeof briefViewSchema>;

export const briefListSchema = z.object({ items: z.array(briefViewSchema) });
export const briefParams = z.object({ id: z.string().regex(/^\d{4}-W\d{2}$/, '不是有效的简报编号（如 2026-W46）') });
