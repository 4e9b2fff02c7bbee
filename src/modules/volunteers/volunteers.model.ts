import { Schema } from 'mongoose';
import { defineModel, type DocOf } from '../../core/db/model';

/**
 * A registered volunteer, _id = residentId (one volunteer per resident). Phone and ID number are
 * stored encrypted (core/pii.ts) beside their masked forms; the ID number's HMAC is the key of
 * VolunteerIdNumber, the guard against a second registration with the same number.
 */
export const Volunteer = defineModel('Volunteer', 'volunteers', {
  _id: String,
  realName: { type: String, required: true },
  phoneEnc: { type: String, required: true },
  phoneMasked: { type: String, required: true },
  idNumberEnc: { type: String, required: true },
  idNumberMasked: { type: String, required: true },
  idNumberHash: { type: String, required: true },
  gender: { type: String, enum: ['male', 'female'], required: true },
  regionCode: { type: String, required: true },
  skills: { type: [String], default: [] },
  /** the privacy notice version agreed to, when and where (PIPL: separate consent) */
  consent: {
    noticeVersion: { type: String, required: true },
    agreedAt: { type: Date, required: true },
    channel: { type: String, required: true },
  },
  createdAt: { type: Date, required: true },
});
export type VolunteerDoc = DocOf<typeof Volunteer>;

/** _id = HMAC of the ID number: inserted before the volunteer, so one number registers once. */
export const VolunteerIdNumber = defineModel('VolunteerIdNumber', 'volunteer_id_numbers', {
  _id: String,
  residentId: { type: String, required: true },
  createdAt: { type: Date, required: true },
});

const pointSchema = new Schema({ lat: Number, lng: Number }, { _id: false });

/** A volunteer activity. Few and small: held in memory (activities.service.ts). */
export const Activity = defineModel('Activity', 'activities', {
  _id: String,
  title: { type: String, required: true },
  description: { type: String, required: true },
  startAt: { type: Date, required: true },
  endAt: { type: Date, required: true },
  regionCode: { type: String, required: true },
  address: { type: String, required: true },
  location: { type: pointSchema, default: null },
  /** check-in must carry a location within the configured radius of `location` */
  requireLocation: { type: Boolean, default: false },
  /** capacity at creation; later changes are events of the roster log */
  capacity: { type: Number, required: true },
  skills: { type: [String], default: [] },
  organizer: { type: String, required: true },
  contact: { type: String, default: null },
  checkinCode: { type: String, required: true },
  status: { type: String, enum: ['open', 'cancelled'], default: 'open' },
  createdBy: { type: String, required: true },
  createdAt: { type: Date, required: true },
  updatedAt: { type: Date, required: true },
});
export type ActivityDoc = DocOf<typeof Activity>;

export const rosterEventTypes = ['signup', 'cancel', 'capacity'] as const;
export type RosterEventType = (typeof rosterEventTypes)[number];

/**
 * One entry of an activity's roster log, _id `<activityId>:<seq>` with seq 1, 2, 3 … dense.
 * Appending is inserting the next seq; the unique _id makes every append a total order. See
 * roster-log.ts for why this keeps the seat count exact.
 */
export const RosterEvent = defineModel('RosterEvent', 'activity_roster_events', {
  _id: String,
  activityId: { type: String, required: true },
  seq: { type: Number, required: true },
  type: { type: String, enum: rosterEventTypes, required: true },
  residentId: { type: String, default: null },
  /** sign-up: the volunteer's community then, display name and masked phone for the organiser */
  regionCode: { type: String, default: null },
  name: { type: String, default: null },
  phoneMasked: { type: String, default: null },
  capacity: { type: Number, default: null },
  /** who appended it: lets a writer recognise its own event after an ambiguous write error */
  nonce: { type: String, required: true },
  at: { type: Date, required: true },
});
export type RosterEventDoc = DocOf<typeof RosterEvent>;

/**
 * A volunteer's activities, _id `<residentId>:<n>` with n dense from 1: the per-owner index that
 * lists "my sign-ups" and the service record by point reads, never by a scan.
 */
export const VolunteerRef = defineModel('VolunteerRef', 'volunteer_activity_refs', {
  _id: String,
  activityId: { type: String, required: true },
  nonce: { type: String, required: true },
  at: { type: Date, required: true },
});
export type VolunteerRefDoc = DocOf<typeof VolunteerRef>;

/** A check-in or check-out, _id `<activityId>:<residentId>:in|out`: each happens once. */
export const Attendance = defineModel('Attendance', 'activity_attendance', {
  _id: String,
  activityId: { type: String, required: true },
  residentId: { type: String, required: true },
  kind: { type: String, enum: ['in', 'out'], required: true },
  at: { type: Date, required: true },
  distanceMeters: { type: Number, default: null },
  /** 管理员代签: the organiser who recorded it for a volunteer without a phone; null when self-service */
  recordedBy: { type: new Schema({ staffId: String, username: String }, { _id: false }), default: null },
});
export type AttendanceDoc = DocOf<typeof Attendance>;

/**
 * The service-hours ledger, _id `<residentId>:<activityId>`: one entry per volunteer and activity,
 * written at check-out with a copy of what the service record (志愿服务记录) shows.
 */
export const ServiceHours = defineModel('ServiceHours', 'volunteer_hours', {
  _id: String,
  residentId: { type: String, required: true },
  activityId: { type: String, required: true },
  /** whole minutes (integers add up exactly); hours are shown to one decimal */
  minutes: { type: Number, required: true },
  /** the volunteer's community when serving: the statistics count hours there */
  regionCode: { type: String, default: null },
  checkedInAt: { type: Date, required: true },
  checkedOutAt: { type: Date, required: true },
  activity: {
    title: String,
    description: String,
    address: String,
    regionCode: String,
    organizer: String,
    startAt: Date,
    endAt: Date,
  },
  recordedAt: { type: Date, required: true },
});
export type ServiceHoursDoc = DocOf<typeof ServiceHours>;
