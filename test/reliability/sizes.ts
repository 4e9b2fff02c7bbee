/**
 * Reliability sizes: small inside `npm test`, the full sizes with RELIABILITY_FULL=1
 * (`npm run test:reliability`).
 */
export const FULL = process.env.RELIABILITY_FULL === '1';

export const sizes = {
  /** trials of concurrent sign-ups for one activity */
  signupTrials: FULL ? 100 : 3,
  signupsPerTrial: 200,
  seats: 20,
  /** malformed / injection requests across the published endpoints */
  fuzzRequests: FULL ? 10_000 : 1_000,
  /** writes in flight while the database is killed */
  outageWriters: FULL ? 20 : 8,
};

/** Generous time limits: the full sizes run minutes on two shared cores. */
export const timeoutMs = FULL ? 60 * 60_000 : 5 * 60_000;
