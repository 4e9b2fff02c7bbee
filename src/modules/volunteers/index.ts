import { registerCounterSource } from '../stats/stats.rebuild';
import type { AppModule } from '../types';
import { activitiesRouter } from './activities.routes';
import { loadActivities } from './activities.service';
import { volunteerJobs } from './volunteers.jobs';
import { volunteerCounterSource } from './volunteers.counters';
import { volunteersRouter } from './volunteers.routes';
import { loadVolunteerContent } from './volunteers.service';

registerCounterSource('volunteers', volunteerCounterSource);

/** Volunteers (registration, hours, service record) and their activities (roster, check-in). */
export const volunteersModule: AppModule = {
  name: 'volunteers',
  routers: [volunteersRouter, activitiesRouter],
  jobs: volunteerJobs,
  syncContent: loadVolunteerContent,
  init: async () => {
    await loadActivities();
    await loadVolunteerContent();
  },
};
