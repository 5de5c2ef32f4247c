import { Messages, T } from './i18n';

/** What the citizen typed, kept to fill the form again when something must be fixed. */
export interface ReportInput {
  content: string;
  categoryCode: string;
  address: string;
  lat: string;
  lng: string;
  name: string;
  phone: string;
  anonymous: boolean;
  identityHidden: boolean;
  publicWall: boolean;
}

export interface Photo {
  buffer: Buffer;
  originalname: string;
  size: number;
}

export interface FieldProblem {
  field: string;
  message: string;
}

export const MAX_CONTENT = 4000;
const CN_PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
const CATEGORY = /^[a-z0-9_.]{2,64}$/;

const str = (v: unknown, max = 10_000): string => (typeof v === 'string' ? v.slice(0, max) : '');
const on = (v: unknown): boolean => v === 'on' || v === 'true' || v === '1';

export function readReport(body: Record<string, unknown>): ReportInput {
  return {
    content: str(body.content, MAX_CONTENT + 1).trim(),
    categoryCode: str(body.categoryCode, 65).trim(),
    address: str(body.address, 501).trim(),
    lat: str(body.lat, 32).trim(),
    lng: str(body.lng, 32).trim(),
    name: str(body.name, 51).trim(),
    phone: str(body.phone, 20).replace(/[\s-]/g, (c) => (c === '-' ? '-' : '')),
    anonymous: on(body.anonymous),
    identityHidden: on(body.identityHidden),
    // a checkbox sends nothing when unticked; the form always sends `wallAsked`
    publicWall: on(body.publicWall),
  };
}

/** The photo's type from its first bytes, not from what the browser claimed: JPEG, PNG or WebP, else null. */
export function sniffPhoto(b: Buffer): 'image/jpeg' | 'image/png' | 'image/webp' | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/** A valid coordinate pair, or null (none given, or not numbers in range). */
export function position(r: ReportInput): { lat: number; lng: number } | null | 'invalid' {
  if (!r.lat && !r.lng) return null;
  const lat = Number(r.lat);
  const lng = Number(r.lng);
  if (!r.lat || !r.lng || !Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return 'invalid';
  return { lat, lng };
}

export function checkReport(r: ReportInput, photo: Photo | undefined, maxPhotoBytes: number, t: T): FieldProblem[] {
  const p: FieldProblem[] = [];
  const say = (field: string, pick: (m: Messages) => string, vars?: Record<string, string | number>) =>
    p.push({ field, message: t(pick, vars) });
  if (!r.content) say('content', (m) => m.errors.contentRequired);
  else if ([...r.content].length > MAX_CONTENT) say('content', (m) => m.errors.contentTooLong, { n: MAX_CONTENT });
  if (r.categoryCode && !CATEGORY.test(r.categoryCode)) say('categoryCode', (m) => m.errors.category);
  const pos = position(r);
  if (pos === 'invalid') say('address', (m) => m.errors.position);
  if (!r.address && !pos) say('address', (m) => m.errors.addressRequired);
  else if ([...r.address].length > 500) say('address', (m) => m.errors.addressTooLong);
  if (!r.anonymous) {
    if (!r.name) say('name', (m) => m.errors.nameRequired);
    else if ([...r.name].length > 50) say('name', (m) => m.errors.nameTooLong);
    if (!CN_PHONE.test(r.phone)) say('phone', (m) => m.errors.phoneInvalid);
  }
  if (photo) {
    const mb = Math.floor(maxPhotoBytes / (1024 * 1024));
    if (photo.size === 0) say('photo', (m) => m.errors.photoEmpty);
    else if (photo.size > maxPhotoBytes) say('photo', (m) => m.errors.photoTooLarge, { mb });
    else if (!sniffPhoto(photo.buffer)) say('photo', (m) => m.errors.photoType);
  }
  return p;
}

/** The body for intake's `POST /public/requests`. */
export function toPublicRequest(r: ReportInput): Record<string, unknown> {
  const pos = position(r);
  const at = pos && pos !== 'invalid' ? pos : null;
  return {
    content: r.content,
    ...(r.categoryCode ? { categoryCode: r.categoryCode } : {}),
    ...(r.anonymous ? { anonymous: true } : { citizen: { name: r.name, phone: r.phone } }),
    identityHidden: r.identityHidden,
    publicWallOptOut: !r.publicWall,
    location: {
      // Without an address, the phone's position is the place: the order goes to the city's triage, which places it.
      address: r.address || `手机定位 ${at!.lat.toFixed(5)},${at!.lng.toFixed(5)}`,
      ...(at ? { lat: at.lat, lng: at.lng } : {}),
    },
  };
}
