/**
 * Heavy libraries loaded on first use. Together they hold about 65 MB of memory that a process
 * serving residents never needs until someone exports a workbook, uploads a photo or renders a
 * brief; loading them at start would count against every instance's memory budget.
 */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

export const loadExcel = once(async () => (await import('exceljs')).default);
export const loadSharp = once(async () => (await import('sharp')).default);
export const loadEcharts = once(() => import('echarts'));
export const loadQRCode = once(async () => (await import('qrcode')).default);
