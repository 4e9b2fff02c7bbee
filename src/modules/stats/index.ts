import type { AppModule } from '../types';

/** The participation core (write side). The statistics endpoints join this module later. */
export const statsModule: AppModule = { name: 'stats' };
