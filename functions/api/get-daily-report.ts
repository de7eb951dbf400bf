import { DailyReportQuery } from '#shared/contract/campaign';
import { reportPdf } from '#shared/adapters/report-pdf';
import { apiHandler } from '#shared/http/api-handler';
import { mayReadCampaign } from '#shared/use-cases/campaign';
import { caseGate } from '#shared/use-cases/case-access';
import { dailyReport, defaultReportDate, reportCsv } from '#shared/use-cases/daily-report';
import { tableDependencies } from '#shared/use-cases/dependencies';

const deps = tableDependencies();

/** What the client asked for, by its Accept header: PDF, CSV, else JSON. */
const wanted = (accept: string | undefined) => {
  const types = (accept ?? '').toLowerCase();
  return types.includes('application/pdf') ? 'pdf' : types.includes('text/csv') ? 'csv' : 'json';
};

export const handler = apiHandler('GetDailyReport', { query: DailyReportQuery }, async ({ query, principal, event }) => {
  await mayReadCampaign(deps, principal);
  const gate = await caseGate(deps, principal);
  const date = query.date ?? defaultReportDate(deps.now());
  const report = await dailyReport(deps, date, gate);
  const form = wanted(event.headers.accept);
  const file = `daily-report-${date}${report.scope === 'city' ? '' : `-${report.scope.stationId}`}`;
  if (form === 'csv') {
    return { statusCode: 200, raw: 'text', body: reportCsv(report), headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${file}.csv"` } };
  }
  if (form === 'pdf') {
    const scopeName = report.scope === 'city' ? '全市'
      : (await deps.directory.get('station', report.scope.stationId))?.name ?? report.scope.stationId;
    const bytes = await reportPdf(report, { scopeName });
    return {
      statusCode: 200, raw: 'base64', body: Buffer.from(bytes).toString('base64'),
      headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${file}.pdf"` },
    };
  }
  return { statusCode: 200, body: report };
});
