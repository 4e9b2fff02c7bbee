import { z } from 'zod';

/** A photo as the API shows it: the stored (re-encoded) image and its thumbnail, both access-checked. */
export const photoSchema = z.object({ id: z.string(), url: z.string(), thumbUrl: z.string() });
export type PhotoView = z.infer<typeof photoSchema>;

export const mediaIdSchema = z.string().regex(/^[0-9a-f]{24}$/, '不是有效的图片编号');
export const mediaParams = z.object({ id: mediaIdSchema });
