import { auditModule } from './audit';
import { briefsModule } from './briefs';
import { catalogModule } from './catalog';
import { registerCounterSources } from './counters';
import { dailyQuizModule } from './dailyquiz';
import { fieldworkModule } from './fieldwork';
import { h5Module } from './h5';
import { helpdeskModule } from './helpdesk';
import { jobsModule } from './jobs';
import { maintenanceModule } from './maintenance';
import { noticesModule } from './notices';
import { mediaModule } from './media';
import { moderationModule } from './moderation';
import { mpModule } from './mp';
import { outboxModule } from './outbox';
import { privacyModule } from './privacy';
import { quizModule } from './quiz';
import { regionsModule } from './regions';
import { residentsModule } from './residents';
import { roomsModule } from './rooms';
import { staffModule } from './staff';
import { statsModule } from './stats';
import { surveysModule } from './surveys';
import { tipoffsModule } from './tipoffs';
import { tipmapModule } from './tipmap';
import type { AppModule } from './types';
import { volunteersModule } from './volunteers';

/** The module list: adding a feature is one folder and one line here. Order = content sync order. */
export const modules: AppModule[] = [
  regionsModule,
  catalogModule,
  statsModule,
  residentsModule,
  staffModule,
  outboxModule,
  quizModule,
  surveysModule,
  fieldworkModule,
  volunteersModule,
  mediaModule,
  tipoffsModule,
  tipmapModule,
  h5Module,
  jobsModule,
  maintenanceModule,
  noticesModule,
  roomsModule,
  dailyQuizModule,
  briefsModule,
  auditModule,
  mpModule,
  moderationModule,
  helpdeskModule,
  privacyModule,
];

// The counters kernel rebuilds what each module declares, without importing the modules itself.
registerCounterSources(modules);

// What the bot and scripts read of the manifest (modules read it through ./manifest themselves).
export { botFlows, kindName, participationKinds } from './manifest';
