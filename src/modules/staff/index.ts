import type { AppModule } from '../types';
import { staffRouter } from './staff.routes';

export const staffModule: AppModule = { name: 'staff', routers: [staffRouter] };

export { ensureFirstAdmin } from './staff.service';
