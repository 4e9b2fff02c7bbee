import type { AppModule } from '../types';
import { statsRouter } from './stats.routes';
import './tipoff-counters'; // registers the tip-off figures with the rebuild

/** The participation core (write side) and the statistics the offices read (read side). */
export const statsModule: AppModule = { name: 'stats', routers: [statsRouter] };

export { counterWriter } from './counter-writer';
