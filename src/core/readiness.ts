/**
 * Whether this process serves the API yet. main.ts listens before it connects, so /healthz answers
 * (and an orchestrator does not restart a process that is building FerretDB or rebuilding counters)
 * while /readyz and every API request answer 503 with the reason. Test apps and scripts are ready
 * from the start.
 */
let reason: string | null = null;

export function notReady(why: string): void {
  reason = why;
}

export function ready(): void {
  reason = null;
}

/** Why the API is not served yet, or null once it is. */
export function notReadyReason(): string | null {
  return reason;
}
