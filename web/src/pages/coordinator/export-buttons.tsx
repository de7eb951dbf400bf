import { useState } from 'react';
import { api, ApiError, type CaseSummary, fetchDailyReport } from '../../app/api';
import { useI18n } from '../../app/i18n';
import { useNames } from '../../app/use-teams';
import { sortCases } from './case-filter';
import { casesCsv, casesGeoJson, exportFileName } from './export';
import { fill } from '../../app/words';
import { download } from '../../app/download';

/** The cases shown (after the filters) as CSV for Excel or GeoJSON for a GIS, in the list's order: red first. */
export function ExportButtons({ cases }: { cases: readonly CaseSummary[] }) {
  const { m } = useI18n();
  const names = useNames();
  const [problem, setProblem] = useState<string>();
  const context = { m, teamName: names.team };
  const words = m.coordinator.export;
  // Every case an export holds has it in its access log: the file is made only once the API has recorded it.
  const exportAs = async (format: 'csv' | 'geojson') => {
    setProblem(undefined);
    const sorted = sortCases(cases, 'risk');
    try {
      if (sorted.length) await api.recordExport(format, sorted.map((c) => c.caseId));
    } catch (error) {
      setProblem(fill(words.notRecorded, { detail: error instanceof ApiError ? error.problem.detail : (error as Error).message }));
      return;
    }
    if (format === 'csv') download(casesCsv(sorted, context), exportFileName('csv', Date.now()), 'text/csv;charset=utf-8');
    else download(JSON.stringify(casesGeoJson(sorted, context), null, 2), exportFileName('geojson', Date.now()), 'application/geo+json');
  };
  // The night's report: the night just over (or under way after 18:00), made by the API.
  const report = async (format: 'pdf' | 'csv') => {
    setProblem(undefined);
    try {
      const { blob, fileName } = await fetchDailyReport(format);
      download(blob, fileName, blob.type);
    } catch (error) {
      setProblem(fill(words.reportFailed, { detail: error instanceof ApiError ? error.problem.detail : (error as Error).message }));
    }
  };
  return (
    <div className="coordinator-export" role="group" aria-label={fill(words.label, { count: cases.length })}>
      <button type="button" data-testid="export-csv" onClick={() => void exportAs('csv')}>{words.csv}</button>
      <button type="button" data-testid="export-geojson" onClick={() => void exportAs('geojson')}>{words.geojson}</button>
      <button type="button" data-testid="daily-report-pdf" onClick={() => void report('pdf')}>{words.report}</button>
      <button type="button" data-testid="daily-report-csv" onClick={() => void report('csv')}>{words.reportCsv}</button>
      {problem && <p role="alert" className="coordinator-export-problem">{problem}</p>}
    </div>
  );
}
