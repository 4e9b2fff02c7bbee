import { isoLocal, now } from '../../core/time';
import { reportXlsx, tableCsv } from './report-xlsx';
import {
  getIndicatorStats,
  getKnowledgeGaps,
  getParticipation,
  getReport,
  getSampleMonitor,
  getTipoffs,
  getVolunteers,
  type StatsFilters,
} from './stats.service';
import type { Instrument } from '../counters';
import type { StatsMode } from './indicator-rates';
import type { StatsQuery, StatsTable } from './stats.schema';
import {
  gapTables,
  indicatorTables,
  participationTables,
  sampleTables,
  tipoffTables,
  volunteerTables,
  type IndicatorTopic,
  type Table,
} from './tables';

export interface ExportFile {
  filename: string;
  body: Buffer;
  filters: StatsFilters;
}

type ExportQuery = StatsQuery & { indicator?: string; quiz?: string; survey?: string; source?: Instrument; mode?: StatsMode };

const fileStem = (f: StatsFilters) => `${f.region.name}_${f.period.from}_${f.period.to}`;

/** The tables of one topic, computed for the query (only that topic's counters are read). */
async function topicTables(topic: string, q: ExportQuery): Promise<{ tables: Table[]; filters: StatsFilters }> {
  switch (topic) {
    case 'awareness':
    case 'support':
    case 'satisfaction': {
      const s = await getIndicatorStats(topic, q);
      return { tables: indicatorTables(topic as IndicatorTopic, s), filters: s.filters };
    }
    case 'participation': {
      const s = await getParticipation(q);
      return { tables: participationTables(s), filters: s.filters };
    }
    case 'volunteers': {
      const s = await getVolunteers(q);
      return { tables: volunteerTables(s), filters: s.filters };
    }
    case 'tipoffs': {
      const s = await getTipoffs(q);
      return { tables: tipoffTables(s), filters: s.filters };
    }
    case 'knowledgeGaps': {
      const s = await getKnowledgeGaps(q);
      return { tables: gapTables(s), filters: s.filters };
    }
    default: {
      const s = await getSampleMonitor(q);
      return { tables: sampleTables(s), filters: s.filters };
    }
  }
}

export async function exportTableCsv(table: StatsTable, q: ExportQuery): Promise<ExportFile> {
  const { tables, filters } = await topicTables(table.split('.')[0]!, q);
  const t = tables.find((x) => x.name === table)!;
  return { filename: `${t.title}_${fileStem(filters)}.csv`, body: tableCsv(t), filters };
}

export async function exportReport(q: ExportQuery): Promise<ExportFile> {
  const report = await getReport(q, isoLocal(now()));
  return { filename: `文明城市创建统计报表_${fileStem(report.filters)}.xlsx`, body: await reportXlsx(report), filters: report.filters };
}
