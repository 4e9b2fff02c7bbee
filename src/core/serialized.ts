// Moved to the store (src/core/store/serial.ts); kept so that code written against this path still builds.
export { keyedSerializer, type Serialized } from './store';
