/**
 * API shapes, taken from the service's own zod schemas (type-only imports: nothing of the server
 * is bundled), so a contract change breaks `npx tsc -p src/h5` instead of a page at run time.
 */
export type { Me, ResidentView, UpdateMe } from '../../modules/residents/residents.schema';
export type { RegionNode } from '../../modules/regions/regions.schema';
export type { StaffView } from '../../modules/staff/staff.schema';
export type { Role } from '../../core/auth';
