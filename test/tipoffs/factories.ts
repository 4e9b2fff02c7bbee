import sharp from 'sharp';
import type { ApiResponse, TestApp } from '../harness/app';

/** Test photos made with sharp; the JPEG carries camera and GPS EXIF like a phone photo. */
export async function jpegWithGps(width = 96, height = 64): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 180, g: 40, b: 40 } } })
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'X1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '29/1 52/1 2316/100', GPSLongitudeRef: 'E', GPSLongitude: '121/1 33/1 3672/100' },
    })
    .jpeg()
    .toBuffer();
}

export const pngPhoto = (w = 80, h = 60) =>
  sharp({ create: { width: w, height: h, channels: 4, background: { r: 20, g: 120, b: 200, alpha: 0.5 } } })
    .png()
    .toBuffer();
export const webpPhoto = (w = 80, h = 60) =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r: 20, g: 160, b: 60 } } })
    .webp()
    .toBuffer();

/** A place in 柳岸社区 (东湖区 湖滨街道), GCJ-02 as WeChat reports it. */
export const LIUAN = { lat: 29.8731, lng: 121.5602 };
export const WANGHU = { lat: 29.8768, lng: 121.5655 };
/** Moves a point north by some metres. */
export const north = (p: { lat: number; lng: number }, meters: number) => ({ lat: p.lat + meters / 111_320, lng: p.lng });

export interface TipoffFields {
  categoryCode?: string;
  description?: string;
  lat?: number;
  lng?: number;
  address?: string;
  regionCode?: string;
  anonymous?: boolean;
}

export interface Upload {
  data: Buffer;
  name?: string;
  type?: string;
}

export function tipoffForm(fields: TipoffFields = {}, photos: Upload[] = []): FormData {
  const f = { categoryCode: 'littering', description: '小区门口垃圾堆放多日无人清理', ...LIUAN, address: '柳岸路 1 号', ...fields };
  const form = new FormData();
  for (const [k, v] of Object.entries(f)) if (v !== undefined) form.append(k, String(v));
  for (const p of photos)
    form.append('photos', new Blob([new Uint8Array(p.data)], { type: p.type ?? 'image/jpeg' }), p.name ?? 'photo.jpg');
  return form;
}

/** POST /api/v1/tipoffs as multipart, with one fresh photo unless photos are given. */
export async function submitTipoff(
  app: TestApp,
  token: string,
  fields: TipoffFields = {},
  photos?: Upload[],
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const files = photos ?? [{ data: await jpegWithGps() }];
  return app.request('POST', '/api/v1/tipoffs', undefined, { token, raw: tipoffForm(fields, files), headers });
}

export async function submitOk(app: TestApp, token: string, fields: TipoffFields = {}): Promise<any> {
  const res = await submitTipoff(app, token, fields);
  if (res.status !== 201) throw new Error(`submit failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function transition(app: TestApp, token: string, id: string, body: Record<string, unknown>): Promise<ApiResponse> {
  return app.post(`/api/v1/tipoffs/${id}/transitions`, body, { token });
}

/** A staff member's after-photo, uploaded ahead of "rectify" (POST /api/v1/media). */
export async function uploadPhoto(app: TestApp, token: string, data?: Buffer): Promise<string> {
  const form = new FormData();
  form.append('photos', new Blob([new Uint8Array(data ?? (await jpegWithGps()))], { type: 'image/jpeg' }), 'after.jpg');
  const res = await app.request('POST', '/api/v1/media', undefined, { token, raw: form });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items[0].id;
}

/** Fetches a photo's bytes as a client would (Bearer token), or the status when refused. */
export async function fetchMedia(
  app: TestApp,
  url: string,
  token?: string,
): Promise<{ status: number; type: string | null; data: Buffer }> {
  const res = await fetch(app.baseUrl + url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, type: res.headers.get('content-type'), data: Buffer.from(await res.arrayBuffer()) };
}
