import {
  emptySums,
  indicatorRate,
  LOW_SAMPLE,
  poststratified,
  responseRate,
  wilson,
  wilsonInterval,
  type Sums,
} from '../../src/modules/stats/rates';
import { alignedBucket, resolvePeriod } from '../../src/modules/counters/periods';
import { median } from '../../src/modules/stats/tipoff-figures';
import { AppError } from '../../src/core/errors';

/** Sums over responses given as [n_j, k_j] pairs. */
function sums(units: Array<[number, number]>): Sums {
  const s = emptySums();
  for (const [n, k] of units)
    Object.assign(s, { m: s.m + 1, n: s.n + n, k: s.k + k, nn: s.nn + n * n, kk: s.kk + k * k, nk: s.nk + n * k });
  return s;
}

describe('rates', () => {
  it('gives the Wilson score interval of published examples', () => {
    // 8 of 10: Wilson 95 % interval (0.4902, 0.9433), as in Newcombe (1998), table I.
    const r = wilson(8, 10);
    expect(r.rate).toBe(0.8);
    expect(r.ci![0]).toBeCloseTo(0.4902, 4);
    expect(r.ci![1]).toBeCloseTo(0.9433, 4);
    expect(r.lowSample).toBe(true);
    // 0 of 20 keeps a non-degenerate upper bound (0.1611), unlike the normal approximation.
    expect(wilson(0, 20).ci).toEqual([0, expect.closeTo(0.1611, 4)]);
  });

  it('reports n = 0 as no rate and no interval, and n < 30 as a low sample', () => {
    expect(wilson(0, 0)).toEqual({ rate: null, ci: null, n: 0, answers: 0, designEffect: null, lowSample: true });
    expect(wilson(10, LOW_SAMPLE - 1).lowSample).toBe(true);
    expect(wilson(10, LOW_SAMPLE).lowSample).toBe(false);
  });

  it('counts people: four respondents answering three questions alike are worth three, not twelve', () => {
    // k_j = 3, 3, 0, 0 of n_j = 3: p = 0.5, n̄ = 3, Σ(k − p·n)² = 9, Var = 9 / (4·3·9) = 1/12, n_eff = 3.
    const r = responseRate(
      sums([
        [3, 3],
        [3, 3],
        [3, 0],
        [3, 0],
      ]),
    );
    expect(r).toMatchObject({ rate: 0.5, n: 4, answers: 12, lowSample: true });
    expect(r.designEffect).toBeCloseTo(4 / 3, 12);
    expect(r.ci![0]).toBeCloseTo(wilsonInterval(0.5, 3)[0], 12);
    expect(r.ci![0]).toBeLessThan(wilson(6, 12).ci![0]);
  });

  it('gives one indicator as a plain proportion over the people who answered it', () => {
    expect(
      indicatorRate(
        sums([
          [1, 1],
          [1, 0],
          [1, 1],
        ]),
      ),
    ).toEqual({ ...wilson(2, 3) });
  });

  it('weights strata by population and adds their variances with squared weights', () => {
    const a = sums([
      [2, 2],
      [2, 1],
      [2, 0],
    ]); // p = 0.5, Var = 2 / (3·2·4) = 1/12
    const b = sums([
      [1, 1],
      [1, 1],
    ]); // p = 1, Var = 0
    const r = poststratified([
      { population: 3000, sums: a },
      { population: 1000, sums: b },
    ]);
    expect(r.rate).toBeCloseTo(0.75 * 0.5 + 0.25 * 1, 12);
    const variance = 0.75 ** 2 / 12;
    expect(r.designEffect).toBeCloseTo(5 / ((0.625 * 0.375) / variance), 12);
    expect(r.ci![1]).toBeCloseTo(wilsonInterval(0.625, (0.625 * 0.375) / variance)[1], 12);
    expect(r).toMatchObject({ n: 5, answers: 8 });
    expect(poststratified([{ population: 10, sums: emptySums() }])).toMatchObject({ rate: null, ci: null, n: 0 });
  });

  it('takes the exact median, the mean of the middle two for an even count', () => {
    expect(
      median(
        new Map([
          [5, 1],
          [1, 2],
          [9, 1],
        ]),
      ),
    ).toBe(3);
    expect(median(new Map([[7, 3]]))).toBe(7);
    expect(median(new Map())).toBeNull();
  });
});

describe('periods', () => {
  const span = { first: '2026-09-15', last: '2026-11-20' };
  const today = '2026-11-20';

  it('resolves calendar periods to whole days and their buckets', () => {
    expect(resolvePeriod({ period: 'week', date: '2026-12-31' }, span, today)).toMatchObject({
      from: '2026-12-28',
      to: '2027-01-03',
      bucket: 'w:2026-W53',
    });
    expect(resolvePeriod({ period: 'week', date: '2027-01-04' }, span, today)).toMatchObject({
      from: '2027-01-04',
      to: '2027-01-10',
      bucket: 'w:2027-W01',
    });
    expect(resolvePeriod({ period: 'month', date: '2028-02-10' }, span, today)).toMatchObject({
      from: '2028-02-01',
      to: '2028-02-29',
      bucket: 'm:2028-02',
      label: '2028年2月',
    });
    expect(resolvePeriod({ period: 'quarter', date: '2026-11-20' }, span, today)).toMatchObject({
      from: '2026-10-01',
      to: '2026-12-31',
      bucket: 'q:2026-Q4',
    });
    expect(resolvePeriod({ period: 'year' }, span, today)).toMatchObject({ from: '2026-01-01', to: '2026-12-31', bucket: 'y:2026' });
    expect(resolvePeriod({ period: 'day' }, span, today)).toMatchObject({ from: today, to: today, bucket: `d:${today}` });
  });

  it('runs campaign-to-date from the first recorded day, also by default', () => {
    expect(resolvePeriod({}, span, today)).toMatchObject({ kind: 'campaign', from: '2026-09-15', to: today, bucket: 'all' });
    expect(resolvePeriod({ period: 'campaign' }, { first: null, last: null }, today)).toMatchObject({ from: today, to: today });
  });

  it('recognizes a from/to range that is exactly a bucket', () => {
    expect(alignedBucket('2026-11-01', '2026-11-30')).toBe('m:2026-11');
    expect(alignedBucket('2026-11-16', '2026-11-22')).toBe('w:2026-W47');
    expect(alignedBucket('2026-11-16', '2026-11-21')).toBeNull();
    expect(resolvePeriod({ from: '2026-11-02' }, span, today)).toMatchObject({
      from: '2026-11-02',
      to: today,
      bucket: null,
      kind: 'range',
    });
  });

  it('refuses contradictory or reversed ranges with the field named', () => {
    const fieldOf = (q: Parameters<typeof resolvePeriod>[0]) => {
      try {
        resolvePeriod(q, span, today);
        return 'accepted';
      } catch (err) {
        return ((err as AppError).details as Array<{ path: string }>)[0]!.path;
      }
    };
    expect(fieldOf({ from: '2026-11-05', to: '2026-11-01' })).toBe('from');
    expect(fieldOf({ period: 'month', to: '2026-11-01' })).toBe('period');
    expect(fieldOf({ date: '2026-11-01' })).toBe('date');
    expect(fieldOf({ from: '2020-01-01', to: '2026-01-01' })).toBe('to');
  });
});
