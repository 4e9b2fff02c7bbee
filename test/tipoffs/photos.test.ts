import http from 'node:http';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { useTestApp } from '../harness/app';
import { COMMUNITIES, residentSession, staffSession } from '../factories';
import { fetchMedia, jpegWithGps, pngPhoto, submitOk, submitTipoff, transition, uploadPhoto, webpPhoto } from './factories';

const app = useTestApp();

/** The GPS IFD pointer tag (0x8825) in a little-endian EXIF block. */
const hasGpsTag = (exif: Buffer | undefined) => Boolean(exif && exif.includes(Buffer.from([0x25, 0x88])));

/** A PNG whose header claims width × height (a decompression bomb needs no more than that). */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await pngPhoto(4, 4));
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(zlib.crc32(png.subarray(12, 29)), 29);
  return png;
}

/** Sends a multipart body of `size` bytes of one "photo" without a Content-Length (chunked). */
function postChunked(path: string, token: string, size: number): Promise<{ status: number; body: any }> {
  const boundary = '----wm-test-boundary';
  return new Promise((resolve, reject) => {
    const req = http.request(
      app.baseUrl + path,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'transfer-encoding': 'chunked',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') }));
      },
    );
    req.on('error', reject);
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="huge.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
    const chunk = Buffer.alloc(1024 * 1024, 0xff);
    let sent = 0;
    const pump = (): void => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end(`\r\n--${boundary}--\r\n`);
    };
    pump();
  });
}

describe('photo checks on submission', () => {
  it('strips the GPS EXIF of a JPEG: /media serves a re-encoded JPEG with no EXIF at all', async () => {
    const original = await jpegWithGps(120, 90);
    expect(hasGpsTag((await sharp(original).metadata()).exif)).toBe(true);
    const r = await residentSession(app, { regionCode: COMMUNITIES[0] });
    const res = await submitTipoff(app, r.token, {}, [{ data: original, name: 'IMG_0001.jpg' }]);
    expect(res.status).toBe(201);
    const photo = res.body.photos[0];
    expect(photo).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), url: `/media/${photo.id}`, thumbUrl: `/media/${photo.id}/thumb` });
    const served = await fetchMedia(app, photo.url, r.token);
    expect(served.status).toBe(200);
    expect(served.type).toBe('image/jpeg');
    const meta = await sharp(served.data).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 120, height: 90 });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(served.data.includes(Buffer.from('Exif\0\0'))).toBe(false);
    expect(served.data.equals(original)).toBe(false);
    const thumb = await fetchMedia(app, photo.thumbUrl, r.token);
    expect((await sharp(thumb.data).metadata()).exif).toBeUndefined();
  });

  it('accepts PNG and WebP photos and stores them as JPEG', async () => {
    const r = await residentSession(app);
    const res = await submitTipoff(app, r.token, {}, [
      { data: await pngPhoto(), name: 'a.png', type: 'image/png' },
      { data: await webpPhoto(), name: 'b.webp', type: 'image/webp' },
    ]);
    expect(res.status).toBe(201);
    expect(res.body.photos).toHaveLength(2);
    for (const p of res.body.photos) expect((await sharp((await fetchMedia(app, p.url, r.token)).data).metadata()).format).toBe('jpeg');
  });

  it('refuses a PHP file renamed .jpg (judged by its bytes, not its name or type) with 415 INVALID_FILE', async () => {
    const r = await residentSession(app);
    const php = Buffer.from('<?php system($_GET["c"]); ?>\n');
    const res = await submitTipoff(app, r.token, {}, [{ data: php, name: 'shell.jpg', type: 'image/jpeg' }]);
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('INVALID_FILE');
    expect(res.body.error.message).toBe('照片不是有效的图片：仅支持 JPEG、PNG、WebP 格式的照片');
    expect((await app.get('/api/v1/tipoffs/mine', { token: r.token })).body.items).toEqual([]);
  });

  it('names which photo is bad, and refuses a truncated JPEG', async () => {
    const r = await residentSession(app);
    const good = await jpegWithGps();
    const res = await submitTipoff(app, r.token, {}, [{ data: good }, { data: good.subarray(0, 40) }]);
    expect(res.status).toBe(415);
    expect(res.body.error.message).toMatch(/^第 2 张照片已损坏或无法识别/);
  });

  it('refuses a 60 MB upload announced by Content-Length with 413 before reading it', async () => {
    const r = await residentSession(app);
    const huge = Buffer.alloc(60 * 1024 * 1024, 0xff);
    const res = await submitTipoff(app, r.token, {}, [{ data: huge, name: 'huge.jpg' }]);
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: '照片过大：每张照片不能超过 10 MB' });
  });

  it('cuts off a 60 MB chunked upload (no Content-Length) at the 10 MB limit with 413', async () => {
    const r = await residentSession(app);
    const res = await postChunked('/api/v1/tipoffs', r.token, 60 * 1024 * 1024);
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: '照片过大：每张照片不能超过 10 MB' });
  });

  it('refuses a photo whose header claims more than 40 megapixels', async () => {
    const r = await residentSession(app);
    const res = await submitTipoff(app, r.token, {}, [{ data: await pngClaiming(50_000, 50_000), name: 'bomb.png', type: 'image/png' }]);
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('INVALID_FILE');
  });

  it('needs 1 to 3 photos', async () => {
    const r = await residentSession(app);
    const none = await submitTipoff(app, r.token, {}, []);
    expect(none.status).toBe(400);
    expect(none.body.error.message).toBe('请至少上传 1 张现场照片');
    const photo = { data: await jpegWithGps() };
    const four = await submitTipoff(app, r.token, {}, [photo, photo, photo, photo]);
    expect(four.status).toBe(400);
    expect(four.body.error.message).toMatch(/最多上传 3 张照片/);
  });
});

describe('photos uploaded one by one (the mini-program way)', () => {
  it('files a JSON report with photoIds from POST /api/v1/media, and only with the caller’s own drafts', async () => {
    const r = await residentSession(app);
    const other = await residentSession(app);
    const mine = [await uploadPhoto(app, r.token), await uploadPhoto(app, r.token)];
    const theirs = await uploadPhoto(app, other.token);
    const body = { categoryCode: 'noise', description: '工地夜间施工', lat: 29.8768, lng: 121.5655 };
    const stolen = await app.post('/api/v1/tipoffs', { ...body, photoIds: [theirs] }, { token: r.token });
    expect(stolen.status).toBe(400);
    const res = await app.post('/api/v1/tipoffs', { ...body, photoIds: mine }, { token: r.token });
    expect(res.status).toBe(201);
    expect(res.body.photos.map((p: { id: string }) => p.id)).toEqual(mine);
    const reused = await app.post('/api/v1/tipoffs', { ...body, photoIds: [mine[0]] }, { token: r.token });
    expect(reused.status).toBe(400);
    expect(reused.body.error.message).toBe('照片已被使用，请重新上传');
  });
});

describe('who may see a photo', () => {
  let reporter: { token: string };
  let photoUrl: string;
  let tipoffId: string;
  beforeAll(async () => {
    reporter = await residentSession(app);
    const t = await submitOk(app, reporter.token, { categoryCode: 'littering' });
    photoUrl = t.photos[0].url;
    tipoffId = t.id;
  });

  it('serves it to the reporter and the office, not to another resident or without a session', async () => {
    expect((await fetchMedia(app, photoUrl, reporter.token)).status).toBe(200);
    expect((await fetchMedia(app, photoUrl, (await staffSession(app, 'office')).token)).status).toBe(200);
    expect((await fetchMedia(app, photoUrl, (await residentSession(app)).token)).status).toBe(404);
    expect((await fetchMedia(app, photoUrl)).status).toBe(401);
    expect((await fetchMedia(app, '/media/0123456789abcdef01234567', reporter.token)).status).toBe(404);
  });

  it('serves it to the unit the tip-off is assigned to, and to no other unit', async () => {
    const office = await staffSession(app, 'office');
    const hwc = await staffSession(app, 'unit', 'hwc');
    const cgj = await staffSession(app, 'unit', 'cgj');
    expect((await fetchMedia(app, photoUrl, hwc.token)).status).toBe(404); // not yet assigned
    expect((await transition(app, office.token, tipoffId, { action: 'accept' })).status).toBe(200);
    expect((await fetchMedia(app, photoUrl, hwc.token)).status).toBe(200);
    expect((await fetchMedia(app, photoUrl, cgj.token)).status).toBe(404);
  });

  it("keeps a staff member's uploaded after-photo to its uploader until it is attached", async () => {
    const unit = await staffSession(app, 'unit', 'hwc');
    const id = await uploadPhoto(app, unit.token);
    expect((await fetchMedia(app, `/media/${id}`, unit.token)).status).toBe(200);
    expect((await fetchMedia(app, `/media/${id}`, (await staffSession(app, 'office')).token)).status).toBe(404);
  });
});
