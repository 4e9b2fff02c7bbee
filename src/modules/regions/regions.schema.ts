import { z } from 'zod';
import { line } from '../../core/text';

export const regionLevels = ['city', 'district', 'street', 'community'] as const;
export type RegionLevel = (typeof regionLevels)[number];

const code = z.string().regex(/^[0-9A-Za-z_-]{2,40}$/, '编码只能包含字母、数字、-、_');
const point = z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) });

const community = z.object({ code, name: line().min(1), population: z.number().int().positive(), center: point });
const street = z.object({ code, name: line().min(1), communities: z.array(community).min(1) });
const district = z.object({ code, name: line().min(1), streets: z.array(street).min(1) });

/** content/regions.yaml: one city; populations are given for communities and summed upwards. */
export const regionsFileSchema = z.object({
  city: z.object({ code, name: line().min(1), districts: z.array(district).min(1) }),
});
export type RegionsFile = z.infer<typeof regionsFileSchema>;

export interface RegionNode {
  code: string;
  name: string;
  level: RegionLevel;
  population: number;
  parentCode: string | null;
  center?: { lat: number; lng: number } | null;
  children: RegionNode[];
}

export const regionNodeSchema: z.ZodType<RegionNode> = z.lazy(() =>
  z.object({
    code: z.string(),
    name: z.string(),
    level: z.enum(regionLevels),
    population: z.number(),
    parentCode: z.string().nullable(),
    center: point.nullable().optional(),
    children: z.array(regionNodeSchema),
  }),
);

/** `GET /regions/nearest`: a located point (GCJ-02, as the H5 pages send it). */
export const nearestQuerySchema = z.object({
  lat: z.coerce.number().min(-90).max(90),
  lng: z.coerce.number().min(-180).max(180),
});

const regionRef = z.object({ code: z.string(), name: z.string() });
/** Where a located point is: the nearest community centre, its street and district, the distance to it. */
export const nearestPlaceSchema = z.object({
  community: regionRef,
  street: regionRef.nullable(),
  district: regionRef.nullable(),
  /** from the community's centre, rounded to 10 m */
  distanceMeters: z.number().int().min(0),
});
export type NearestPlace = z.infer<typeof nearestPlaceSchema>;

/** A community's population as the console shows and exports it. */
export const populationRowSchema = z.object({
  code: z.string(),
  name: z.string(),
  district: z.string(),
  street: z.string(),
  population: z.number(),
  households: z.number().nullable(),
  /** `console`: imported in the console (content sync keeps it) */
  origin: z.enum(['content', 'console']),
  editedAt: z.string().nullable(),
  editedBy: z.string().nullable(),
});
export type PopulationRow = z.infer<typeof populationRowSchema>;
export const populationImportResultSchema = z.object({ total: z.number(), updated: z.number(), unchanged: z.number() });
