import { logger } from './logger';

/** A queue drained on an interval: never two drains at once, stopped by awaiting the one running. */
export interface Poller {
  start(pollMs?: number): void;
  stop(): Promise<void>;
}

/**
 * Polls `drain` every `pollMs` (unref'd, so it never keeps the process alive). A drain still running
 * when the next tick comes is left to finish; a failure is logged under `name` and the next tick tries again.
 */
export function poller(name: string, drain: () => Promise<unknown>, defaultPollMs: number): Poller {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  return {
    start(pollMs = defaultPollMs): void {
      if (timer) return;
      timer = setInterval(() => {
        running ??= drain()
          .catch((err) => logger.error({ err }, `${name} failed`))
          .finally(() => (running = undefined));
      }, pollMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
