import type { Target } from '../target';
import { healthTarget, meTarget } from './me';
import { statsTarget } from './stats';

/**
 * The service's use cases, in the order they are measured. A target whose operations the service
 * does not publish (a module not built yet) is reported as "not available", not failed silently.
 */
export const serviceTargets: Target[] = [healthTarget, meTarget, statsTarget];
