import pino from 'pino';
import { config } from '../config';

/** Structured JSON lines. Personal data is masked before it reaches a log (see core/mask.ts). */
export const logger = pino({
  level: process.env.LOG_LEVEL || (process.env.NODE_ENV === 'test' ? 'silent' : config().LOG_LEVEL),
  base: { service: 'wenming' },
  redact: {
    paths: [
      'password',
      '*.password',
      'idNumber',
      '*.idNumber',
      'phone',
      '*.phone',
      'token',
      '*.token',
      'req.headers.authorization',
      'req.headers.cookie',
    ],
    censor: '[masked]',
  },
});

export type Logger = typeof logger;
