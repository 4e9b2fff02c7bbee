import type { Target } from '../target';
import { healthTarget, meTarget } from './me';
import { quizAnswerTarget } from './quiz';
import { signupTarget } from './signup';
import { statsTarget } from './stats';
import { surveyResponseTarget } from './survey';
import { tipoffTarget } from './tipoff';

/**
 * The service's use cases, in the order they are measured. A target whose operations the service
 * does not publish (a module not built yet) is reported as "not available", not failed silently.
 */
export const serviceTargets: Target[] = [
  healthTarget,
  quizAnswerTarget,
  surveyResponseTarget,
  tipoffTarget,
  signupTarget,
  statsTarget,
  meTarget,
];
