import type { AppModule } from '../types';
import { activitiesRouter } from './activities.routes';
import { loadActivities } from './activities.service';
import { volunteerJobs } from './volunteers.jobs';
import { volunteerCounterSource } from './volunteers.counters';
import { volunteerRetention } from './volunteers.retention';
import { volunteersRouter } from './volunteers.routes';
import { loadVolunteerContent } from './volunteers.service';

// What the statistics read: the volunteer counters' ids.
export { volunteerCounterIds } from './volunteers.counters';

/** Volunteers (registration, hours, service record) and their activities (roster, check-in). */
export const volunteersModule: AppModule = {
  name: 'volunteers',
  routers: [volunteersRouter, activitiesRouter],
  jobs: volunteerJobs,
  retention: volunteerRetention,
  // A check-in is an act of its own (参与率 by kind), but "我的" counts the activities signed up for.
  participation: [
    { kind: 'signup', name: '活动报名', summary: { key: 'activities', label: '志愿报名', order: 4 } },
    { kind: 'checkin', name: '活动签到' },
  ],
  syncContent: loadVolunteerContent,
  counters: volunteerCounterSource,
  init: async () => {
    await loadActivities();
    await loadVolunteerContent();
  },
};

// What the bot (bots/) uses of this module.
export { type ActivityDoc, activityByCode, activityPlace, getActivity, nearbyActivities, signupOpen } from './activities.service';
export { attendanceOf, checkIn, checkOut } from './attendance.service';
export { checkIdNumber, idNumberProblemText } from './id-number';
export { listMySignups } from './record.service';
export { cancelSignup, myRosterStatus, rosterCounts, signUpForActivity } from './signups.service';
export { registerVolunteerSchema } from './volunteers.schema';
export { findVolunteer, getMyVolunteer, privacyNotice, registerVolunteer, volunteerSkills } from './volunteers.service';
