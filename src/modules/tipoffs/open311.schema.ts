import { z } from 'zod';
import { tipoffIdSchema } from './tipoffs.schema';
import { line, text } from '../../core/text';

export const formatParams = z.object({ format: z.enum(['json', 'xml'], '格式只能是 json 或 xml') });
const serviceCode = z.string().trim().regex(/^[0-9A-Za-z_-]{2,40}$/, 'service_code 格式不正确');
export const serviceParams = formatParams.extend({ code: serviceCode });
export const requestParams = formatParams.extend({ id: tipoffIdSchema });

const time = z.iso.datetime({ offset: true, message: '须为带时区的 ISO-8601 时间' }).transform((s) => new Date(s));

/** POST requests.json (form-encoded). Personal fields (email, name, phone, device_id) are not kept. */
export const open311PostSchema = z.object({
  api_key: z.string().max(200).optional(),
  jurisdiction_id: z.string().max(100).optional(),
  service_code: serviceCode,
  lat: z.coerce.number().min(-90).max(90),
  long: z.coerce.number().min(-180).max(180),
  address_string: line().max(200).optional(),
  description: text().min(1).max(500).optional(),
  media_url: z.url({ protocol: /^https?$/, message: 'media_url 须为 http(s) 地址' }).max(500).optional(),
});
export type Open311Post = z.infer<typeof open311PostSchema>;

export const open311QuerySchema = z.object({
  jurisdiction_id: z.string().max(100).optional(),
  service_request_id: z
    .string()
    .max(2000)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(tipoffIdSchema).max(100))
    .optional(),
  service_code: serviceCode.optional(),
  start_date: time.optional(),
  end_date: time.optional(),
  status: z.enum(['open', 'closed'], 'status 只能是 open 或 closed').optional(),
});
export type Open311Query = z.infer<typeof open311QuerySchema>;
