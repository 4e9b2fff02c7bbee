import type { AppModule } from '../types';
import { fieldworkRouter } from './fieldwork.routes';

/** 入户调查: the household frame, the sample draw, enumerators' visits, quality review and progress (docs/fieldwork.md). */
export const fieldworkModule: AppModule = { name: 'fieldwork', routers: [fieldworkRouter] };
