import { defineModel, type DocOf } from '../../core/db/model';

/**
 * A notice to staff (工作通知): units have no bot identity, so what a unit must act on (an overdue
 * tip-off) and what the office must know (a unit far past its deadline, the weekly brief) lands in
 * this inbox, shown in the console. _id `<audience>:<dedupeKey>`, so one cause notifies at most once;
 * audience is `office` or `unit:<unitCode>`.
 */
export const StaffNotice = defineModel(
  'StaffNotice',
  'staff_notices',
  {
    _id: String,
    audience: { type: String, required: true },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    text: { type: String, required: true },
    /** a console route (H5 hash path) the notice is about, e.g. /console/tipoffs/T2611… */
    link: { type: String, default: null },
    createdAt: { type: Date, required: true },
    readAt: { type: Date, default: null },
    readBy: { type: String, default: null },
  },
  { indexes: [[{ audience: 1, createdAt: -1 }]] },
);
export type NoticeDoc = DocOf<typeof StaffNotice>;
