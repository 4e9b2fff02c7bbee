import type { AppModule } from '../types';
import './tipoff-counters'; // registers the tip-off figures with the rebuild

/** The participation core (write side). The statistics endpoints join this module later. */
export const statsModule: AppModule = { name: 'stats' };
