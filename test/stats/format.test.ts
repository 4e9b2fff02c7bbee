import { formatPercent, PERCENT_NUMFMT, roundHours, roundRate, roundTo } from '../../src/core/format';
import { formatPercent as pageFormatter } from '../../src/h5/src/format';

describe('the percentage formatter', () => {
  it.each([
    [0.723, '72.3%'],
    [0.7235, '72.4%'],
    [1, '100.0%'],
    [0.05, '5.0%'],
    [0.01, '1.0%'],
    [0.0004, '0.04%'],
    [0.000456, '0.046%'],
    [0.005, '0.5%'],
    [0.001, '0.1%'],
    [0.0000123, '0.0012%'],
    [0.00999, '1.0%'],
    [0, '0%'],
    [null, '—'],
    [undefined, '—'],
    [Number.NaN, '—'],
  ])('shows %p as %p', (x, shown) => {
    expect(formatPercent(x)).toBe(shown);
  });

  it('never shows a rate above zero as zero', () => {
    for (let x = 1e-8; x < 0.02; x *= 1.37) expect(formatPercent(x)).not.toMatch(/^0(\.0+)?%$/);
  });

  it('is the very function the H5 pages use', () => {
    expect(pageFormatter).toBe(formatPercent);
  });
});

describe('rounding for exports', () => {
  it('rounds rates to 4 decimals and hours to 1, with no float noise left', () => {
    expect(roundTo(36.34999083333334, 1)).toBe(36.3);
    expect(String(roundHours(36.34999083333334))).toBe('36.3');
    expect(String(roundRate(0.56550850524791))).toBe('0.5655');
    expect(String(roundRate(0.1 + 0.2))).toBe('0.3');
    expect(roundRate(null)).toBeNull();
    expect(Object.is(roundTo(-0.00001, 4), 0)).toBe(true);
  });

  it('formats exported rates in Excel so small ones keep their digits', () => {
    expect(PERCENT_NUMFMT).toBe('[=0]0%;[<0.01]0.00%;0.0%');
  });
});
