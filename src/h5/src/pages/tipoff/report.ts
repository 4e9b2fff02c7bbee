import { ApiError, newIdempotencyKey } from '../../api';
import { loadRegions } from '../../regions';
import type { RegionNode } from '../../types';
import { wgs84ToGcj02 } from './gcj02';
import { nearestPlace, placeName } from './tipoff-api';

/** Where the report is: a located point (GCJ-02), or a chosen community's centre with a typed address. */
export interface Place {
  lat: number;
  lng: number;
  /** set when the resident picked the community by hand (no geolocation) */
  regionCode?: string;
  label: string;
}

export const MAX_PHOTOS = 3;
export const MAX_BYTES = 10 * 1024 * 1024;

/**
 * The browser's position, converted to GCJ-02 and named as a place ("距 望湖社区（文昌街道）约 320 米");
 * rejects with a Chinese reason (no permission, no fix, outside the city).
 */
export async function locate(): Promise<Place> {
  const p = await position();
  try {
    return { ...p, label: placeName(await nearestPlace(p)) };
  } catch (err) {
    // eslint-disable-next-line preserve-caught-error -- the 404 is the whole cause: the resident reads this sentence
    if (err instanceof ApiError && err.status === 404) throw new Error('该位置不在本市范围内');
    return { ...p, label: '已定位（暂时无法显示地名）' }; // the server names it when the report is sent
  }
}

function position(): Promise<{ lat: number; lng: number }> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) return reject(new Error('当前浏览器不支持定位'));
    navigator.geolocation.getCurrentPosition(
      (pos) => resolve(wgs84ToGcj02(pos.coords.latitude, pos.coords.longitude)),
      (err) => reject(new Error(err.code === err.PERMISSION_DENIED ? '未获得定位权限' : '定位失败')),
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
    );
  });
}

function findNode(nodes: RegionNode[], code: string): RegionNode | undefined {
  for (const n of nodes) {
    if (n.code === code) return n;
    const hit = findNode(n.children, code);
    if (hit) return hit;
  }
  return undefined;
}

/** The place of a community picked by hand: its centre stands in for the point. */
export async function communityPlace(code: string): Promise<Place | undefined> {
  const node = findNode(await loadRegions(), code);
  if (!node?.center) return undefined;
  return { lat: node.center.lat, lng: node.center.lng, regionCode: code, label: node.name };
}

export interface Draft {
  files: File[];
  categoryCode: string;
  place: Place | undefined;
  address: string;
  description: string;
  anonymous: boolean;
}

/** What is missing before the draft can be sent, in the order a person fills the form. */
export function missing(d: Draft): string | undefined {
  if (!d.files.length) return '请至少上传 1 张现场照片';
  if (!d.categoryCode) return '请选择问题类别';
  if (!d.place) return '请获取定位，或手动选择社区';
  if (d.place.regionCode && !d.address.trim()) return '手动选择社区时，请填写详细地址';
  if (d.description.trim().length < 2) return '请简单描述问题（至少 2 个字）';
  return undefined;
}

export function toForm(d: Draft): FormData {
  const form = new FormData();
  form.append('categoryCode', d.categoryCode);
  form.append('description', d.description.trim());
  form.append('lat', String(d.place!.lat));
  form.append('lng', String(d.place!.lng));
  if (d.address.trim()) form.append('address', d.address.trim());
  if (d.place!.regionCode) form.append('regionCode', d.place!.regionCode);
  form.append('anonymous', String(d.anonymous));
  for (const f of d.files) form.append('photos', f, f.name);
  return form;
}

/** One key per draft: a retry after a network error must not file the report twice. */
export const draftKey = () => newIdempotencyKey();
