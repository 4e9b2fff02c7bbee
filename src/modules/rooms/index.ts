import type { AppModule } from '../types';
import { roomsRetention } from './rooms.retention';
import { outgoingRouter } from './rooms.routes';

/** Group-room messages (the bot drains them) and the office's view of everything outgoing. */
export const roomsModule: AppModule = { name: 'rooms', routers: [outgoingRouter], retention: roomsRetention };

// What the bot (bots/) uses of this module.
export {
  type RoomMessagePart,
  type RoomRef,
  claimRoomMessage,
  getRoomMessage,
  markRoomMessage,
  parseRoomKey,
  pendingRoomMessages,
  requeueRoomMessage,
} from './rooms.service';
