import { keyedSerializer } from '../../core/store';

/**
 * Index documents that many requests append to (a resident's list, a map cell) are updated one at a
 * time per process: FerretDB may lose concurrent updates of one document; MongoDB applies each $push
 * atomically, so several processes are safe there.
 */
export const serialized = keyedSerializer();
