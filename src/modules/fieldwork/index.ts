import type { AppModule } from '../types';
import { fieldworkRouter } from './fieldwork.routes';

// The statistics' sample monitor gives the same margin of error as the fieldwork progress.
export { marginOfError } from './fieldwork.margin';

/** 入户调查: the household frame, the sample draw, enumerators' visits, quality review and progress (docs/fieldwork.md). */
export const fieldworkModule: AppModule = { name: 'fieldwork', routers: [fieldworkRouter] };
