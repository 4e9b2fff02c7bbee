/** The 95 % normal quantile. */
const Z = 1.96;

/** 1.96·sqrt(0.25 / m)·sqrt((N − m) / (N − 1)): the widest 95 % margin m responses give in a community of N. */
export function marginOfError(m: number, population: number): number | null {
  if (m <= 0) return null;
  const fpc = population > 1 ? Math.sqrt(Math.max(0, population - m) / (population - 1)) : 1;
  return Z * Math.sqrt(0.25 / m) * fpc;
}
