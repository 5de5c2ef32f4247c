import { TransactionHost, TxHost } from '@app/platform';
import { Injectable, Inject } from '@nestjs/common';
import { Report } from './report.entity';

export type ReportMeta = Omit<Report, 'html' | 'xlsx' | 'document'>;

const META: (keyof ReportMeta)[] = ['id', 'kind', 'periodFrom', 'periodTo', 'districtCode', 'title', 'generatedAt', 'generatedBy'];

@Injectable()
export class ReportsRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  /** Store a report; generating the same kind, period and district again replaces it (same id). */
  async save(r: Report): Promise<ReportMeta> {
    await this.txHost.tx
      .createQueryBuilder()
      .insert()
      .into(Report)
      .values(r)
      .orUpdate(
        ['period_to', 'title', 'html', 'xlsx', 'document', 'generated_at', 'generated_by'],
        ['kind', 'period_from', 'district_code'],
      )
      .execute();
    return this.txHost.tx.getRepository(Report).findOneOrFail({
      select: Object.fromEntries(META.map((k) => [k, true])),
      where: { kind: r.kind, periodFrom: r.periodFrom, districtCode: r.districtCode },
    });
  }

  list(kind: string | null, districts: string[] | null, limit: number, offset: number): Promise<[ReportMeta[], number]> {
    const qb = this.txHost.tx
      .getRepository(Report)
      .createQueryBuilder('r')
      .select(META.map((c) => `r.${c}`))
      .orderBy('r.period_from', 'DESC')
      .addOrderBy('r.kind')
      .limit(limit)
      .offset(offset);
    if (kind) qb.andWhere('r.kind = :kind', { kind });
    // A district user sees their districts' reports, not the city's.
    if (districts) qb.andWhere('r.district_code = ANY(:districts)', { districts });
    return qb.getManyAndCount();
  }

  get(id: string): Promise<Report | null> {
    return this.txHost.tx.getRepository(Report).findOneBy({ id });
  }
}
