import ExcelJS from 'exceljs';

/**
 * A report as data: sections of text, tables and bar charts. The same document renders to a zh-CN
 * HTML page (charts as inline SVG, no browser or script needed) and to a spreadsheet (one sheet per table).
 */
export interface ReportTable {
  name: string;
  columns: string[];
  rows: (string | number | null)[][];
}

export interface BarChart {
  title: string;
  /** Bars of one series; `max` fixes the scale (100 for percentages). */
  bars: { label: string; value: number | null }[];
  unit: string;
  max?: number;
}

export interface ReportSection {
  heading: string;
  paragraphs?: string[];
  tables?: ReportTable[];
  charts?: BarChart[];
}

export interface ReportDocument {
  title: string;
  subtitle: string;
  sections: ReportSection[];
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function cell(v: string | number | null): string {
  return v === null ? '—' : typeof v === 'number' ? String(v) : esc(v);
}

/** A horizontal bar chart as inline SVG. */
export function barChartSvg(c: BarChart): string {
  const rowH = 26;
  const labelW = 190;
  const barW = 420;
  const h = c.bars.length * rowH + 40;
  const max = c.max ?? Math.max(1, ...c.bars.map((b) => b.value ?? 0));
  const bars = c.bars
    .map((b, i) => {
      const y = 30 + i * rowH;
      const w = b.value === null ? 0 : Math.max(1, Math.round((b.value / max) * barW));
      const text = b.value === null ? '—' : `${b.value}${c.unit}`;
      return (
        `<text x="${labelW - 8}" y="${y + 16}" text-anchor="end" font-size="13">${esc(b.label)}</text>` +
        `<rect x="${labelW}" y="${y + 3}" width="${w}" height="18" fill="#c0392b" rx="2"/>` +
        `<text x="${labelW + w + 6}" y="${y + 16}" font-size="12" fill="#333">${esc(text)}</text>`
      );
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(c.title)}" width="${labelW + barW + 90}" height="${h}" ` +
    `font-family="'Noto Sans CJK SC','Microsoft YaHei',sans-serif">` +
    `<text x="0" y="18" font-size="15" font-weight="bold">${esc(c.title)}</text>${bars}</svg>`
  );
}

export function renderHtml(d: ReportDocument): string {
  const sections = d.sections
    .map((s) => {
      const ps = (s.paragraphs ?? []).map((p) => `<p>${esc(p)}</p>`).join('');
      const charts = (s.charts ?? []).map((c) => `<figure>${barChartSvg(c)}</figure>`).join('');
      const tables = (s.tables ?? [])
        .map(
          (t) =>
            `<table><caption>${esc(t.name)}</caption><thead><tr>${t.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead>` +
            `<tbody>${t.rows.map((r) => `<tr>${r.map((v) => `<td>${cell(v)}</td>`).join('')}</tr>`).join('')}</tbody></table>`,
        )
        .join('');
      return `<section><h2>${esc(s.heading)}</h2>${ps}${charts}${tables}</section>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(d.title)}</title>
<style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;max-width:960px;margin:2em auto;color:#222}
h1{color:#c0392b;text-align:center}.sub{text-align:center;color:#666}table{border-collapse:collapse;width:100%;margin:1em 0}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;font-size:14px}th{background:#f6e7e5}caption{font-weight:bold;text-align:left;padding:4px 0}
figure{margin:1em 0}</style></head>
<body><h1>${esc(d.title)}</h1><p class="sub">${esc(d.subtitle)}</p>
${sections}
</body></html>`;
}

export async function renderXlsx(d: ReportDocument): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Jiesu 12345';
  wb.title = d.title;
  const used = new Set<string>();
  const summary = wb.addWorksheet('概要');
  summary.addRow([d.title]).font = { bold: true, size: 14 };
  summary.addRow([d.subtitle]);
  for (const s of d.sections) {
    summary.addRow([]);
    summary.addRow([s.heading]).font = { bold: true };
    for (const p of s.paragraphs ?? []) summary.addRow([p]);
  }
  summary.getColumn(1).width = 80;
  for (const t of d.sections.flatMap((s) => s.tables ?? [])) {
    // Sheet names: at most 31 characters, unique, none of : \ / ? * [ ].
    let name = t.name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 28);
    for (let i = 2; used.has(name); i++) name = `${t.name.slice(0, 26)}-${i}`;
    used.add(name);
    const ws = wb.addWorksheet(name);
    ws.addRow(t.columns).font = { bold: true };
    for (const r of t.rows) ws.addRow(r.map((v) => (v === null ? '' : v)));
    ws.columns.forEach((c) => (c.width = 16));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
