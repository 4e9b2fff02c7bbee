import type { AppModule } from '../types';
import { roomsRetention } from './rooms.retention';
import { outgoingRouter } from './rooms.routes';

/** Group-room messages (the bot drains them) and the office's view of everything outgoing. */
export const roomsModule: AppModule = { name: 'rooms', routers: [outgoingRouter], retention: roomsRetention };
