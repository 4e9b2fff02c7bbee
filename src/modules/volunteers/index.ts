import type { AppModule } from '../types';
import { activitiesRouter } from './activities.routes';
import { loadActivities } from './activities.service';
import { volunteerJobs } from './volunteers.jobs';
import { volunteerCounterSource } from './volunteers.counters';
import { volunteersRouter } from './volunteers.routes';
import { loadVolunteerContent } from './volunteers.service';

// What the statistics read: the volunteer counters' ids.
export { volunteerCounterIds } from './volunteers.counters';

/** Volunteers (registration, hours, service record) and their activities (roster, check-in). */
export const volunteersModule: AppModule = {
  name: 'volunteers',
  routers: [volunteersRouter, activitiesRouter],
  jobs: volunteerJobs,
  syncContent: loadVolunteerContent,
  counters: volunteerCounterSource,
  init: async () => {
    await loadActivities();
    await loadVolunteerContent();
  },
};
