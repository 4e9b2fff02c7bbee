import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { StaffPrincipal } from '../../core/auth';
import { AppError, notFound } from '../../core/errors';
import { logger } from '../../core/logger';
import { now } from '../../core/time';
import { claimOnce } from '../../core/store';
import { getUnit } from '../catalog/catalog.service';
import { forgetStaffGate } from './staff.gate';
import { Staff, type StaffDoc } from './staff.model';
import type { ChangePassword, CreateStaff, StaffListQuery, StaffView, UpdateStaff } from './staff.schema';

export function presentStaff(s: StaffDoc): StaffView {
  return {
    id: s._id,
    username: s.username,
    role: s.role,
    ...(s.unitCode ? { unitCode: s.unitCode } : {}),
    ...(s.displayName ? { displayName: s.displayName } : {}),
    disabled: Boolean(s.disabled),
    mustChangePassword: Boolean(s.mustChangePassword),
    ...(s.createdAt ? { createdAt: new Date(s.createdAt).toISOString() } : {}),
  };
}

/** The principal a session token carries for this account (with its current session version). */
export function principalOf(s: StaffDoc): StaffPrincipal {
  return {
    kind: 'staff',
    staffId: s._id,
    username: s.username,
    role: s.role,
    ...(s.unitCode ? { unitCode: s.unitCode } : {}),
    sv: s.sessionVersion ?? 0,
  };
}

/** Argon2id, the memory-hard hash (OWASP's first choice). */
const hashPassword = (password: string) => hash(password);

export async function createStaff(input: CreateStaff): Promise<StaffDoc> {
  if (input.role === 'unit') getUnit(input.unitCode!);
  const doc = {
    _id: input.username.toLowerCase(),
    username: input.username,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    unitCode: input.role === 'unit' ? input.unitCode! : null,
    displayName: input.displayName ?? null,
    disabled: false,
    sessionVersion: 0,
    mustChangePassword: false,
    createdAt: now(),
    updatedAt: null,
  };
  if (!(await claimOnce(Staff, doc))) throw new AppError('CONFLICT', `用户名 ${input.username} 已被使用`);
  return doc;
}

// A hash of a random password, so an unknown username costs as much as a wrong password.
let dummyHash: Promise<string> | undefined;

export async function authenticateStaff(username: string, password: string, ip: string): Promise<StaffDoc> {
  const staff = await Staff.findById(username.toLowerCase()).lean<StaffDoc>();
  const ok =
    staff && !staff.disabled
      ? await verify(staff.passwordHash, password)
      : (await verify(await (dummyHash ??= hashPassword('x'.repeat(16))), password), false);
  logger.info({ event: 'staff.login', username: username.slice(0, 32), ok, ip }, 'staff login');
  // A disabled account reads as a wrong password: the login page reveals nothing about accounts.
  if (!ok || !staff) throw new AppError('BAD_CREDENTIALS', '用户名或密码错误');
  return staff;
}

export async function getStaff(id: string): Promise<StaffDoc> {
  const s = await Staff.findById(id.toLowerCase()).lean<StaffDoc>();
  if (!s) throw notFound('账号');
  return s;
}

const collator = new Intl.Collator('zh-CN');

/**
 * The staff table. A city has tens to a few hundred accounts, so the admin's search, filters,
 * sort and page run over the whole (small) collection in memory.
 */
export async function listStaff(q?: StaffListQuery): Promise<{ items: StaffDoc[]; total: number }> {
  const all = await Staff.find({}, { passwordHash: 0 }).lean<StaffDoc[]>();
  if (!q) return { items: all, total: all.length };
  const text = q.q?.toLowerCase();
  const rows = all.filter(
    (s) =>
      (!text || s.username.toLowerCase().includes(text) || (s.displayName ?? '').toLowerCase().includes(text)) &&
      (!q.role || s.role === q.role) &&
      (!q.unitCode || s.unitCode === q.unitCode) &&
      (!q.status || Boolean(s.disabled) === (q.status === 'disabled')),
  );
  const key = (s: StaffDoc): string => (q.sort === 'createdAt' ? new Date(s.createdAt).toISOString() : String(s[q.sort] ?? ''));
  rows.sort((a, b) => collator.compare(key(a), key(b)) * (q.order === 'asc' ? 1 : -1));
  return { items: rows.slice((q.page - 1) * q.pageSize, q.page * q.pageSize), total: rows.length };
}

async function activeAdminIds(): Promise<string[]> {
  const admins = await Staff.find({ role: 'admin' }, { disabled: 1 }).lean<StaffDoc[]>();
  return admins.filter((a) => !a.disabled).map((a) => a._id);
}

/**
 * An admin may not lock themselves out, nor leave the city without an active admin. (Two admins
 * demoting each other at the same instant could both pass: accepted, an admin is re-created from
 * ADMIN_USERNAME only on an empty database, so the check is here to stop the common mistake.)
 */
async function guardAdmins(actor: StaffPrincipal, target: StaffDoc, next: { role: string; disabled: boolean }): Promise<void> {
  const losesAdmin = target.role === 'admin' && !target.disabled && (next.role !== 'admin' || next.disabled);
  if (!losesAdmin && !(target._id === actor.staffId && next.disabled)) return;
  if (target._id === actor.staffId) throw new AppError('LAST_ADMIN', next.disabled ? '不能停用自己的账号' : '不能修改自己的管理员角色');
  const active = await activeAdminIds();
  if (active.length <= 1 && active.includes(target._id))
    throw new AppError('LAST_ADMIN', '这是最后一个可用的管理员账号，不能停用或改为其他角色');
}

async function save(id: string, set: Record<string, unknown>, endSessions: boolean): Promise<StaffDoc> {
  const update = { $set: { ...set, updatedAt: now() }, ...(endSessions ? { $inc: { sessionVersion: 1 } } : {}) };
  await Staff.updateOne({ _id: id }, update);
  forgetStaffGate(id);
  return getStaff(id);
}

export async function updateStaff(actor: StaffPrincipal, id: string, input: UpdateStaff): Promise<StaffDoc> {
  const target = await getStaff(id);
  const role = input.role ?? target.role;
  const unitCode = role === 'unit' ? (input.unitCode !== undefined ? input.unitCode : target.unitCode) : null;
  if (role === 'unit') {
    if (!unitCode)
      throw new AppError('VALIDATION_FAILED', '责任单位账号必须指定所属单位', [{ path: 'unitCode', message: '请选择所属单位' }]);
    getUnit(unitCode);
  }
  const disabled = input.disabled ?? Boolean(target.disabled);
  await guardAdmins(actor, target, { role, disabled });
  const set: Record<string, unknown> = { role, unitCode, disabled };
  if (input.displayName !== undefined) set.displayName = input.displayName || null;
  // A new role, unit or a disable changes what the old token may do: end those sessions.
  const endSessions = role !== target.role || unitCode !== (target.unitCode ?? null) || (disabled && !target.disabled);
  return save(target._id, set, endSessions);
}

export async function setStaffDisabled(
  actor: StaffPrincipal,
  ids: string[],
  disabled: boolean,
): Promise<{ updated: string[]; refused: { id: string; message: string }[] }> {
  const updated: string[] = [];
  const refused: { id: string; message: string }[] = [];
  for (const id of [...new Set(ids.map((i) => i.toLowerCase()))]) {
    try {
      await updateStaff(actor, id, { disabled });
      updated.push(id);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      refused.push({ id, message: err.message });
    }
  }
  return { updated, refused };
}

// No look-alikes (0/O, 1/l/I): the admin reads the password to the worker over the phone.
const TEMP_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function temporaryPassword(): string {
  for (;;) {
    const p = Array.from(crypto.randomBytes(12), (b) => TEMP_ALPHABET[b % TEMP_ALPHABET.length]).join('');
    if (/[A-Za-z]/.test(p) && /\d/.test(p)) return p;
  }
}

/** A one-time password shown once to the admin; the account must change it at its next login. */
export async function resetPassword(id: string): Promise<string> {
  const target = await getStaff(id);
  const password = temporaryPassword();
  await save(target._id, { passwordHash: await hashPassword(password), mustChangePassword: true }, true);
  return password;
}

/** Changes one's own password; the session version moves on, so the caller gets a new token. */
export async function changeOwnPassword(staffId: string, input: ChangePassword): Promise<StaffDoc> {
  const s = await Staff.findById(staffId).lean<StaffDoc>();
  if (!s || s.disabled) throw new AppError('UNAUTHENTICATED', '请先登录');
  if (!(await verify(s.passwordHash, input.currentPassword)))
    throw new AppError('VALIDATION_FAILED', '当前密码不正确', [{ path: 'currentPassword', message: '当前密码不正确' }]);
  if (input.newPassword.toLowerCase() === s.username.toLowerCase())
    throw new AppError('VALIDATION_FAILED', '密码不能与用户名相同', [{ path: 'newPassword', message: '密码不能与用户名相同' }]);
  if (await verify(s.passwordHash, input.newPassword))
    throw new AppError('VALIDATION_FAILED', '新密码不能与当前密码相同', [{ path: 'newPassword', message: '新密码不能与当前密码相同' }]);
  return save(s._id, { passwordHash: await hashPassword(input.newPassword), mustChangePassword: false }, true);
}

/** Creates the first admin from ADMIN_USERNAME / ADMIN_PASSWORD when no staff exists yet. */
export async function ensureFirstAdmin(username: string | undefined, password: string | undefined): Promise<string | undefined> {
  if (!username || !password) return undefined;
  if ((await Staff.estimatedDocumentCount()) > 0) return undefined;
  try {
    await createStaff({ username, password, role: 'admin' });
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'CONFLICT')) throw err;
  }
  return username;
}
