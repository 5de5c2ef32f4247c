import { Principal, TransactionHost, TxHost } from '@app/platform';
import { BadRequestException, HttpException, Injectable, Inject } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { CreateAccountDto } from './accounts.dto';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { StaffAccount } from './staff-account.entity';
import { UnitInfo } from './unit-directory';
import { fieldOfHeading, RowError, validateRow } from './import-rows';

export const MAX_IMPORT_ROWS = 5000;

export interface ImportRowReport {
  /** The spreadsheet's row number (the heading is row 1). */
  row: number;
  loginName: string | null;
  ok: boolean;
  errors: RowError[];
}

export interface ImportReport {
  /** dry-run: nothing written; imported: every good row written; refused: nothing written (bad rows, no confirm). */
  outcome: 'dry-run' | 'imported' | 'refused';
  total: number;
  valid: number;
  invalid: number;
  imported: number;
  rows: ImportRowReport[];
}

const bad = (reason: string) => new BadRequestException({ message: `file: ${reason}`, errors: [{ field: 'file', reason }] });

/**
 * Bulk import of staff from a spreadsheet. Every row is checked (fields, duplicates in the file and
 * in the database, the administrator's districts, the unit at dispatch) before anything is written;
 * the good rows go in one transaction, only when all rows are good or the operator confirmed.
 */
@Injectable()
export class ImportService {
  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly accounts: AccountsService,
    private readonly repo: AccountsRepository,
  ) {}

  async run(actor: Principal, file: Buffer, contentType: string, opts: { dryRun: boolean; confirm: boolean }): Promise<ImportReport> {
    const table = await this.readTable(file, contentType);
    const rows: ImportRowReport[] = [];
    const prepared: { row: ImportRowReport; account: StaffAccount }[] = [];
    const seen = new Map<string, number>();
    const unitCache = new Map<string, UnitInfo | Error>();
    const candidates = table.map(({ row, cells }) => ({ n: row, cells, checked: validateRow(cells) }));
    const existing = new Set(await this.repo.existingLogins(candidates.flatMap((c) => (c.checked.dto ? [c.checked.dto.loginName] : []))));
    for (const c of candidates) {
      const report: ImportRowReport = { row: c.n, loginName: c.cells.loginName?.trim() || null, ok: false, errors: [...c.checked.errors] };
      rows.push(report);
      const dto: CreateAccountDto | undefined = c.checked.dto;
      if (!dto) continue;
      const first = seen.get(dto.loginName);
      if (first) report.errors.push({ field: 'loginName', reason: `duplicate of row ${first}` });
      else seen.set(dto.loginName, c.n);
      if (existing.has(dto.loginName)) report.errors.push({ field: 'loginName', reason: 'already exists' });
      if (report.errors.length) continue;
      try {
        prepared.push({ row: report, account: await this.accounts.prepare(actor, dto, unitCache) });
        report.ok = true;
      } catch (e) {
        if (!(e instanceof HttpException) || e.getStatus() >= 500) throw e;
        const body = e.getResponse() as { errors?: RowError[]; message?: string };
        report.errors.push(...(body.errors ?? [{ field: 'row', reason: String(body.message ?? e.message) }]));
      }
    }
    const valid = prepared.length;
    const summary = { total: rows.length, valid, invalid: rows.length - valid, rows };
    if (opts.dryRun) return { outcome: 'dry-run', imported: 0, ...summary };
    if (valid < rows.length && !opts.confirm) return { outcome: 'refused', imported: 0, ...summary };
    await this.txHost.withTransaction(async () => {
      for (const p of prepared) await this.accounts.insert(actor, p.account);
    });
    return { outcome: 'imported', imported: valid, ...summary };
  }

  /** The first sheet as heading → text maps; blank rows skipped. */
  private async readTable(
    file: Buffer,
    contentType: string,
  ): Promise<{ row: number; cells: Partial<Record<keyof CreateAccountDto, string>> }[]> {
    const wb = new ExcelJS.Workbook();
    const isZip = file.length > 4 && file.readUInt32LE(0) === 0x04034b50;
    try {
      if (isZip) await wb.xlsx.load(file);
      else {
        if (contentType && !/csv|text\/plain|octet-stream/.test(contentType)) throw new Error(`content type ${contentType}`);
        const text = file.toString('utf8').replace(/^\uFEFF/, '');
        await wb.csv.read(Readable.from([text]), { parserOptions: { trim: true } });
      }
    } catch (e) {
      throw bad(`not a readable xlsx or CSV file (${(e as Error).message})`);
    }
    const sheet = wb.worksheets[0];
    if (!sheet || sheet.rowCount < 2) throw bad('no rows below the heading');
    if (sheet.rowCount - 1 > MAX_IMPORT_ROWS) throw bad(`more than ${MAX_IMPORT_ROWS} rows; split the file`);
    const headings = new Map<number, keyof CreateAccountDto>();
    sheet.getRow(1).eachCell((cell, col) => {
      const f = fieldOfHeading(cellText(cell.value));
      if (f) headings.set(col, f);
    });
    if (![...headings.values()].includes('loginName')) throw bad('no 登录名 / loginName column in the first row');
    const out: { row: number; cells: Partial<Record<keyof CreateAccountDto, string>> }[] = [];
    for (let r = 2; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const cells: Partial<Record<keyof CreateAccountDto, string>> = {};
      for (const [col, field] of headings) cells[field] = cellText(row.getCell(col).value);
      if (Object.values(cells).some((v) => v && v.trim())) out.push({ row: r, cells });
    }
    return out;
  }
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    if (v instanceof Date) return v.toISOString();
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v)
      return v.result instanceof Date ? v.result.toISOString() : typeof v.result === 'object' ? '' : String(v.result ?? '');
    return '';
  }
  return String(v);
}
