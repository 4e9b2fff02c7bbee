import { hash, verify } from '@node-rs/argon2';
import { AppError, isDuplicateKey } from '../../core/errors';
import { logger } from '../../core/logger';
import { now } from '../../core/time';
import { getUnit } from '../catalog/catalog.service';
import { Staff, type StaffDoc } from './staff.model';
import type { CreateStaff, StaffView } from './staff.schema';

export function presentStaff(s: StaffDoc): StaffView {
  return { id: s._id, username: s.username, role: s.role, ...(s.unitCode ? { unitCode: s.unitCode } : {}), ...(s.displayName ? { displayName: s.displayName } : {}) };
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
    createdAt: now(),
  };
  try {
    await Staff.create(doc);
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError('CONFLICT', `用户名 ${input.username} 已被使用`);
    throw err;
  }
  return doc;
}

// A hash of a random password, so an unknown username costs as much as a wrong password.
let dummyHash: Promise<string> | undefined;

export async function authenticateStaff(username: string, password: string, ip: string): Promise<StaffDoc> {
  const staff = await Staff.findById(username.toLowerCase()).lean<StaffDoc>();
  const ok = staff && !staff.disabled ? await verify(staff.passwordHash, password) : (await verify(await (dummyHash ??= hashPassword('x'.repeat(16))), password), false);
  logger.info({ event: 'staff.login', username: username.slice(0, 32), ok, ip }, 'staff login');
  if (!ok || !staff) throw new AppError('BAD_CREDENTIALS', '用户名或密码错误');
  return staff;
}

export async function listStaff(): Promise<StaffDoc[]> {
  return Staff.find().lean<StaffDoc[]>();
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
