import PDFDocument from 'pdfkit';
import { BarChart, ReportDocument, ReportTable } from './report-document';

/**
 * A report as a PDF (A4, portrait) drawn with pdfkit from the same ReportDocument as the HTML page
 * and the spreadsheet. Chinese needs a CJK font: pdfkit embeds the subset of glyphs used (as a CID
 * font with a ToUnicode map, so the text can be searched and copied, and `pdftotext` reads it back).
 */
export interface PdfFont {
  /** A .ttf/.otf file, or a .ttc collection with the PostScript `name` of the face to use. */
  path: string;
  name?: string;
}

const MARGIN = 48;
const RED = '#c0392b';
const GREY = '#666666';

function cellText(v: string | number | null): string {
  return v === null ? '—' : String(v);
}

/** Width in half-width characters: a CJK character takes two. */
function textWidth(s: string): number {
  let n = 0;
  for (const ch of s) n += ch.charCodeAt(0) > 0x2e80 ? 2 : 1;
  return n;
}

class Writer {
  private readonly width: number;

  constructor(private readonly doc: PDFKit.PDFDocument) {
    this.width = doc.page.width - MARGIN * 2;
  }

  private get bottom(): number {
    return this.doc.page.height - MARGIN;
  }

  /** A new page unless `h` more points fit on this one. */
  private room(h: number): void {
    if (this.doc.y + h > this.bottom) this.doc.addPage();
  }

  title(d: ReportDocument): void {
    this.doc.fillColor(RED).fontSize(20).text(d.title, MARGIN, MARGIN, { width: this.width, align: 'center' });
    this.doc.moveDown(0.3).fillColor(GREY).fontSize(10).text(d.subtitle, { width: this.width, align: 'center' });
    this.doc.moveDown(1).fillColor('#222222');
  }

  heading(text: string): void {
    this.room(40);
    this.doc.moveDown(0.5).fontSize(14).fillColor('#222222').text(text, MARGIN, this.doc.y, { width: this.width });
    this.doc.moveDown(0.3);
  }

  paragraph(text: string): void {
    this.doc.fontSize(10.5).fillColor('#222222');
    this.room(this.doc.heightOfString(text, { width: this.width }) + 4);
    this.doc.text(text, MARGIN, this.doc.y, { width: this.width, lineGap: 2 });
    this.doc.moveDown(0.4);
  }

  /** Horizontal bars, one per value; `max` fixes the scale. */
  chart(c: BarChart): void {
    const rowH = 16;
    const labelW = 130;
    const barW = this.width - labelW - 60;
    const max = c.max ?? Math.max(1, ...c.bars.map((b) => b.value ?? 0));
    this.room(24 + Math.min(c.bars.length, 3) * rowH);
    this.doc.fontSize(11).fillColor('#222222').text(c.title, MARGIN, this.doc.y);
    this.doc.moveDown(0.3);
    for (const b of c.bars) {
      this.room(rowH);
      const y = this.doc.y;
      const w = b.value === null ? 0 : Math.max(1, (b.value / max) * barW);
      this.doc
        .fontSize(9)
        .fillColor('#222222')
        .text(b.label, MARGIN, y + 2, { width: labelW - 8, align: 'right', lineBreak: false, ellipsis: true });
      if (w > 0) this.doc.rect(MARGIN + labelW, y + 2, w, rowH - 5).fill(RED);
      this.doc
        .fillColor('#333333')
        .fontSize(9)
        .text(b.value === null ? '—' : `${b.value}${c.unit}`, MARGIN + labelW + w + 4, y + 2, { lineBreak: false });
      this.doc.x = MARGIN;
      this.doc.y = y + rowH;
    }
    this.doc.moveDown(0.5);
  }

  /** A table with a shaded header row, repeated on each new page; long cells wrap. */
  table(t: ReportTable): void {
    const n = t.columns.length;
    // Each column as wide as its longest text wants (a CJK character counts twice), within bounds.
    const want = t.columns.map((c, i) =>
      Math.min(28, Math.max(5, ...[c, ...t.rows.map((r) => cellText(r[i] ?? null))].map((x) => textWidth(x) / (x === c ? 2 : 1)))),
    );
    const sum = want.reduce((a, b) => a + b, 0);
    const widths = want.map((w) => (w / sum) * this.width);
    const pad = 3;
    const fontSize = n > 8 ? 8 : 9;
    const rowHeight = (cells: string[]) =>
      Math.max(...cells.map((c, i) => this.doc.fontSize(fontSize).heightOfString(c, { width: widths[i] - pad * 2 }))) + pad * 2;
    const drawRow = (cells: string[], header: boolean) => {
      const h = rowHeight(cells);
      let x = MARGIN;
      const y = this.doc.y;
      cells.forEach((c, i) => {
        if (header) this.doc.rect(x, y, widths[i], h).fill('#f6e7e5');
        this.doc.lineWidth(0.5).rect(x, y, widths[i], h).stroke('#cccccc');
        this.doc
          .fillColor('#222222')
          .fontSize(fontSize)
          .text(c, x + pad, y + pad, { width: widths[i] - pad * 2 });
        x += widths[i];
      });
      this.doc.x = MARGIN;
      this.doc.y = y + h;
    };
    this.room(40);
    this.doc.fontSize(10).fillColor('#222222').text(t.name, MARGIN, this.doc.y);
    this.doc.moveDown(0.2);
    drawRow(t.columns, true);
    if (!t.rows.length) {
      drawRow([t.columns.length > 1 ? '无数据' : '—', ...t.columns.slice(1).map(() => '')], false);
    }
    for (const r of t.rows) {
      const cells = r.map(cellText);
      if (this.doc.y + rowHeight(cells) > this.bottom) {
        this.doc.addPage();
        drawRow(t.columns, true);
      }
      drawRow(cells, false);
    }
    this.doc.moveDown(0.6);
  }
}

export function renderPdf(d: ReportDocument, font: PdfFont): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      bufferPages: true,
      info: { Title: d.title, Subject: d.subtitle, Creator: 'Jiesu 12345', Producer: 'Jiesu 12345 (pdfkit)' },
      lang: 'zh-CN',
      displayTitle: true,
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      doc.registerFont('cjk', font.path, font.name || undefined);
      doc.font('cjk');
      const w = new Writer(doc);
      w.title(d);
      for (const s of d.sections) {
        w.heading(s.heading);
        for (const p of s.paragraphs ?? []) w.paragraph(p);
        for (const c of s.charts ?? []) w.chart(c);
        for (const t of s.tables ?? []) w.table(t);
      }
      // Page numbers: 第 n 页 / 共 m 页.
      const range = doc.bufferedPageRange();
      for (let i = range.start; i < range.start + range.count; i++) {
        doc.switchToPage(i);
        // Below the bottom margin: without this pdfkit would start a new page for the footer.
        const bottom = doc.page.margins.bottom;
        doc.page.margins.bottom = 0;
        const label = `第 ${i + 1} 页 / 共 ${range.count} 页`;
        doc
          .fontSize(8)
          .fillColor(GREY)
          .text(label, MARGIN, doc.page.height - MARGIN + 16, { width: doc.page.width - MARGIN * 2, align: 'center', lineBreak: false });
        doc.page.margins.bottom = bottom;
      }
      doc.end();
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
