/**
 * Number formats of the pages: the server's own formatter, bundled from src/core/format.ts (pure,
 * no imports), so a rate reads the same in the dashboard, the weekly brief and the Excel exports.
 */
export { formatDue, formatDuration, formatPercent } from '../../core/format';
