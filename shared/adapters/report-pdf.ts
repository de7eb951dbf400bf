import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import { type PDFFont, type PDFPage, PDFDocument, rgb } from 'pdf-lib';
import type { RiskLevel } from '../contract/vocabulary';
import { RISK_WORDS } from '../domain/notification';
import { type DailyReport, REPORT_WORDS } from '../use-cases/daily-report';

/**
 * The night's report as a PDF in Chinese (A4, for printing and handing up): pdf-lib with Noto Sans SC embedded (only
 * the glyphs used, so the file stays small), the coverage drawn as a bar chart per district.
 *
 * The font comes with the project (npm `@expo-google-fonts/noto-sans-sc`, SIL Open Font License); a deployed function
 * carries a copy next to its code and names it in REPORT_FONT_FILE (infra/stateless-stack.ts).
 */
const FONT_MODULE = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';
let fontBytes: Promise<Buffer> | undefined;
/** The deployed copy; where there is none (the local runtime runs the sources), the package's. */
const loadFont = () => (fontBytes ??= (process.env.REPORT_FONT_FILE ? readFile(process.env.REPORT_FONT_FILE) : Promise.reject(new Error('no copy')))
  .catch(() => readFile(createRequire(import.meta.url).resolve(FONT_MODULE))));

/**
 * pdf-lib's font engine is a fork of fontkit 1.x whose subsets of CJK TrueType fonts lose glyphs (pdf-lib #1232: the
 * subset's short `loca` table is written unpadded). Upstream fontkit 2 subsets them right; it only dropped the
 * `encodeStream()` pdf-lib reads the subset through, which this gives back.
 */
const subsettingFontkit = {
  create(data: Uint8Array) {
    const font = fontkit.create(Buffer.from(data)) as fontkit.Font;
    const createSubset = font.createSubset.bind(font);
    return Object.assign(Object.create(font) as fontkit.Font, {
      createSubset() {
        const subset = createSubset();
        return Object.assign(subset, {
          encodeStream() {
            const handlers: Record<string, (value?: unknown) => void> = {};
            const stream = { on(event: string, handler: (value?: unknown) => void) { handlers[event] = handler; return stream; } };
            queueMicrotask(() => {
              try {
                handlers.data?.(subset.encode());
                handlers.end?.();
              } catch (error) {
                handlers.error?.(error);
              }
            });
            return stream;
          },
        });
      },
    });
  },
};

export const A4 = { width: 595.28, height: 841.89 };
export const MARGIN = 48;
const INK = rgb(0.1, 0.1, 0.12);
export const MUTED = rgb(0.4, 0.42, 0.46);
const RULE = rgb(0.82, 0.84, 0.87);
const RISK_COLOUR: Record<RiskLevel, ReturnType<typeof rgb>> = {
  red: rgb(0.8, 0.15, 0.15), orange: rgb(0.9, 0.45, 0.1), yellow: rgb(0.85, 0.7, 0.05), blue: rgb(0.15, 0.35, 0.8),
};
const COVERED = rgb(0.13, 0.6, 0.3);
const SHORT = rgb(0.85, 0.3, 0.25);

export const shanghai = (iso: string) => {
  const d = new Date(Date.parse(iso) + 8 * 3_600_000);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
};
const minutes = (m: number | null) => (m === null ? '—' : `${m} 分钟`);

/** A cursor down the pages: text and tables flow onto a new page when one is full. */
export class Writer {
  page!: PDFPage;
  y = 0;
  constructor(private readonly doc: PDFDocument, readonly font: PDFFont) {
    this.newPage();
  }

  newPage() {
    this.page = this.doc.addPage([A4.width, A4.height]);
    this.y = A4.height - MARGIN;
  }

  room(height: number) {
    if (this.y - height < MARGIN) this.newPage();
  }

  text(text: string, options: { size?: number; colour?: ReturnType<typeof rgb>; x?: number; gap?: number } = {}) {
    const size = options.size ?? 10.5;
    this.room(size + 4);
    this.page.drawText(text, { x: options.x ?? MARGIN, y: this.y - size, size, font: this.font, color: options.colour ?? INK });
    this.y -= size + (options.gap ?? 6);
  }

  heading(text: string) {
    this.y -= 8;
    this.room(40);
    this.text(text, { size: 13, gap: 4 });
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: A4.width - MARGIN, y: this.y }, thickness: 0.6, color: RULE });
    this.y -= 8;
  }

  /** A table of rows, columns at the given x offsets from the margin. */
  table(header: string[], rows: string[][], columns: number[]) {
    const size = 10;
    const line = (cells: string[], colour = INK) => {
      this.room(size + 6);
      cells.forEach((cell, i) => this.page.drawText(cell, { x: MARGIN + columns[i]!, y: this.y - size, size, font: this.font, color: colour }));
      this.y -= size + 6;
    };
    line(header, MUTED);
    for (const row of rows) line(row);
  }
}

/** A new A4 document in Chinese, with Noto Sans SC embedded as a subset, and a writer at the top of its first page. */
export async function chineseDocument(title: string): Promise<{ doc: PDFDocument; w: Writer }> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(subsettingFontkit as unknown as Parameters<PDFDocument['registerFontkit']>[0]);
  doc.setTitle(title);
  doc.setLanguage('zh-CN');
  doc.setCreator('street-rescue-patrol');
  const font = await doc.embedFont(await loadFont(), { subset: true });
  return { doc, w: new Writer(doc, font) };
}

export async function reportPdf(report: DailyReport, options: { scopeName: string }): Promise<Uint8Array> {
  const { doc, w } = await chineseDocument(`冬春救助夜间工作日报 ${report.date}`);

  w.text(`${report.campaign ? `${report.campaign.name} 第 ${report.campaign.night} 夜` : '冬春救助'} · 夜间工作日报`, { size: 18, gap: 10 });
  w.text(`${shanghai(report.night.from)} 至 ${shanghai(report.night.to)}（北京时间） · ${options.scopeName}`, { size: 11, colour: MUTED });
  w.text(`生成于 ${shanghai(report.generatedAt)}`, { size: 9, colour: MUTED, gap: 10 });

  if (report.warnings.length) {
    for (const warning of report.warnings) {
      w.room(16);
      w.page.drawRectangle({ x: MARGIN, y: w.y - 11, width: 8, height: 10, color: RISK_COLOUR[warning.level ?? 'yellow'] });
      w.text(`${warning.headline ?? warning.event ?? '气象预警'}${warning.expires ? `（至 ${shanghai(warning.expires)}）` : ''}`, { x: MARGIN + 14 });
    }
  } else {
    w.text('当晚无气象预警生效', { colour: MUTED });
  }

  const c = report.cases;
  w.heading('一、案件概况');
  w.text(`新立案 ${c.opened} 件：${(['red', 'orange', 'yellow', 'blue'] as const).map((r) => `${RISK_WORDS[r]} ${c.byRisk[r]}`).join('，')}`);
  w.text(`立案到接单：中位 ${minutes(c.minutesToAcknowledge.median)}，90% ${minutes(c.minutesToAcknowledge.p90)}（${c.minutesToAcknowledge.count} 件）`);
  w.text(`立案到处置：中位 ${minutes(c.minutesToResolve.median)}，90% ${minutes(c.minutesToResolve.p90)}（${c.minutesToResolve.count} 件）`);
  w.text(`目前未处置的红色案件 ${c.openRedNow} 件 · 救助站在站人员 ${report.peopleInStations} 人`);

  w.heading('二、各区立案');
  if (c.byDistrict.length) w.table(['区县', '立案', '其中红色'], c.byDistrict.map((d) => [d.district, String(d.opened), String(d.red)]), [0, 200, 280]);
  else w.text('当晚无新立案', { colour: MUTED });

  w.heading('三、线索来源与处置结果');
  const sources = Object.entries(c.bySource).map(([s, n]) => [REPORT_WORDS.source[s as keyof typeof REPORT_WORDS.source], String(n)]);
  const outcomes = Object.entries(c.outcomes).map(([o, n]) => [REPORT_WORDS.outcome[o as keyof typeof REPORT_WORDS.outcome], String(n)]);
  const rows = Array.from({ length: Math.max(sources.length, outcomes.length) }, (_, i) => [...(sources[i] ?? ['', '']), ...(outcomes[i] ?? ['', ''])]);
  if (rows.length) w.table(['线索来源', '立案', '处置结果', '件数'], rows, [0, 150, 250, 400]);
  else w.text('无', { colour: MUTED });

  const cov = report.coverage;
  w.heading('四、重点点位巡查');
  w.text(`重点点位 ${cov.hotSpots} 处，达标 ${cov.covered} 处（${cov.hotSpots ? Math.round((100 * cov.covered) / cov.hotSpots) : 0}%）`
    + `${cov.coldWave ? ' · 寒潮夜目标 +1' : ''}${cov.holiday ? ' · 节假日目标 +1' : ''}`);
  drawCoverageChart(w, cov.items);
  const short = cov.items.filter((i) => !i.covered);
  if (short.length) {
    w.text('未达标点位：', { gap: 4 });
    w.table(['点位', '区县', '优先级', '巡查/目标'], short.slice(0, 60).map((i) => [
      i.name, i.district ?? '—', i.priority === 'high' ? '重点' : '一般', `${i.checks}/${i.target}`,
    ]), [0, 230, 330, 410]);
    if (short.length > 60) w.text(`另有 ${short.length - 60} 处未列出，见 CSV`, { colour: MUTED });
  }
  return doc.save();
}

/** Per district, a bar of its hot spots: the covered part green, the rest red, with the count. */
function drawCoverageChart(w: Writer, items: DailyReport['coverage']['items']) {
  const byDistrict = new Map<string, { covered: number; total: number }>();
  for (const item of items) {
    const row = byDistrict.get(item.district ?? '其他') ?? { covered: 0, total: 0 };
    row.total += 1;
    if (item.covered) row.covered += 1;
    byDistrict.set(item.district ?? '其他', row);
  }
  if (!byDistrict.size) return;
  const most = Math.max(...[...byDistrict.values()].map((r) => r.total));
  const barWidth = A4.width - 2 * MARGIN - 170;
  const height = 12;
  for (const [district, row] of [...byDistrict].sort((a, b) => b[1].total - a[1].total)) {
    w.room(height + 8);
    const y = w.y - height;
    w.page.drawText(district, { x: MARGIN, y: y + 2, size: 10, font: w.font, color: INK });
    const full = (barWidth * row.total) / most;
    const done = (full * row.covered) / row.total;
    w.page.drawRectangle({ x: MARGIN + 80, y, width: done, height, color: COVERED });
    w.page.drawRectangle({ x: MARGIN + 80 + done, y, width: full - done, height, color: SHORT });
    w.page.drawText(`${row.covered}/${row.total}`, { x: MARGIN + 86 + full, y: y + 2, size: 10, font: w.font, color: MUTED });
    w.y -= height + 6;
  }
  w.y -= 4;
}
