import type { AppModule } from '../types';
import { mediaJobs } from './media.jobs';
import { mediaRouter } from './media.routes';

/** Photos: checked, re-encoded, EXIF-stripped, stored under DATA_DIR/media, served by owner rules. */
export const mediaModule: AppModule = { name: 'media', routers: [mediaRouter], jobs: mediaJobs };

export { attachedMediaBefore, deleteMedia, storePhoto, type MediaDoc } from './media.service';
