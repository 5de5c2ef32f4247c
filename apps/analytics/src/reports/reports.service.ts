import { CLOCK, Clock, districtScope, inDistrict, Principal } from '@app/platform';
import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  OnApplicationBootstrap,
  ServiceUnavailableException,
} from '@nestjs/common';
import { existsSync } from 'node:fs';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../analytics.config';
import { DISTRICT_ZH, labelOf } from '../common/labels';
import { Period } from '../rates/period';
import { BreakdownRow, Rates, RatesView } from '../rates/rates.dto';
import { rate, RATE_LABELS, RatesService } from '../rates/rates.service';
import { Report } from './report.entity';
import { renderHtml, renderXlsx, ReportDocument, ReportSection, ReportTable } from './report-document';
import { renderPdf } from './report-pdf';
import { ReportKind, ReportListQuery, ReportSummary } from './reports.dto';
import { ReportMeta, ReportsRepository } from './reports.repository';

const KIND_ZH: Record<ReportKind, string> = { daily: '日小结', weekly: '周通报', monthly: '月评比' };
const pct = (p: number | null): string => (p === null ? '—' : `${p}%`);

function rateColumns(r: Rates): (number | null)[] {
  return [r.response.percent, r.resolution.percent, r.satisfaction.percent, r.onTime.percent, r.rework.percent];
}
const RATE_HEADERS = ['响应率(%)', '解决率(%)', '满意率(%)', '按时办结率(%)', '发回重办率(%)'];

/**
 * A breakdown as a table. `notAccepted`: with the contacts not accepted (不予受理), for places and
 * categories; a unit never has any (a refused contact goes to no unit).
 */
function breakdownTable(name: string, keyHeader: string, rows: BreakdownRow[], notAccepted = false): ReportTable {
  return {
    name,
    columns: [keyHeader, '受理', ...(notAccepted ? ['不予受理'] : []), '派单', '办结答复', '回访', ...RATE_HEADERS],
    rows: rows.map((r) => [
      r.label,
      r.volumes.accepted,
      ...(notAccepted ? [r.volumes.notAccepted] : []),
      r.volumes.dispatched,
      r.volumes.replied,
      r.volumes.callbacks,
      ...rateColumns(r.rates),
    ]),
  };
}

/** 不予受理 by one dimension (reason, channel): only the keys with contacts not accepted, most first. */
function notAcceptedTable(name: string, keyHeader: string, rows: BreakdownRow[]): ReportTable {
  const refused = rows.filter((r) => r.volumes.notAccepted > 0).sort((a, b) => b.volumes.notAccepted - a.volumes.notAccepted);
  return { name, columns: [keyHeader, '不予受理'], rows: refused.map((r) => [r.label, r.volumes.notAccepted]) };
}

function summary(m: ReportMeta): ReportSummary {
  return {
    id: m.id,
    kind: m.kind,
    periodFrom: m.periodFrom,
    periodTo: m.periodTo,
    districtCode: m.districtCode || null,
    title: m.title,
    generatedAt: m.generatedAt.toISOString(),
    generatedBy: m.generatedBy,
    links: { html: `/reports/${m.id}`, xlsx: `/reports/${m.id}/xlsx`, pdf: `/reports/${m.id}/pdf` },
  };
}

/** 日小结、周通报、月评比: built from the rollups, stored as an HTML page, a spreadsheet and the document a PDF is drawn from. */
@Injectable()
export class ReportsService implements OnApplicationBootstrap {
  private readonly log = new Logger(ReportsService.name);

  constructor(
    private readonly rates: RatesService,
    private readonly reports: ReportsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!existsSync(this.config.REPORT_PDF_FONT))
      this.log.warn(`REPORT_PDF_FONT ${this.config.REPORT_PDF_FONT} is missing: PDF reports will answer 503 (install fonts-wqy-microhei)`);
  }

  async generateFor(user: Principal, kind: ReportKind, date: string, districtCode: string | undefined): Promise<ReportSummary> {
    const district = this.rates.district(user, districtCode);
    return this.generate(kind, date, district, user.id);
  }

  /** Generate (or regenerate) one report. `date` is any day of its period. */
  async generate(kind: ReportKind, date: string, district: string | null, by: string): Promise<ReportSummary> {
    const unit = kind === 'daily' ? 'day' : kind === 'weekly' ? 'week' : 'month';
    const p = this.rates.period({ period: unit === 'day' ? 'day' : unit, from: date });
    const doc = kind === 'monthly' ? await this.monthly(p, district) : await this.summaryDoc(kind, p, district);
    const report = Object.assign(new Report(), {
      id: randomUUID(),
      kind,
      periodFrom: p.from,
      periodTo: p.to,
      districtCode: district ?? '',
      title: doc.title,
      html: renderHtml(doc),
      xlsx: await renderXlsx(doc),
      document: doc,
      generatedAt: this.clock.now(),
      generatedBy: by,
    } satisfies Report);
    return summary(await this.reports.save(report));
  }

  private place(district: string | null): string {
    return district ? labelOf(DISTRICT_ZH, district) : labelOf(DISTRICT_ZH, this.config.CITY_CODE);
  }

  private periodZh(p: Period): string {
    return p.from === p.to ? p.from : `${p.from} 至 ${p.to}`;
  }

  private overview(v: RatesView): ReportSection {
    const r = v.rates;
    const vol = v.volumes;
    return {
      heading: '一、总体情况',
      paragraphs: [
        `本期共接收诉求 ${vol.contacts} 件，其中受理工单 ${vol.accepted} 件、直接答复 ${vol.answeredAtFirstContact} 件、合并 ${vol.merged} 件、不予受理 ${vol.notAccepted} 件；` +
          `派单 ${vol.dispatched} 件，办结答复 ${vol.replied} 件，结案 ${vol.closed} 件；回访 ${vol.callbacks} 件，未能联系 ${vol.callbacksFailed} 件。`,
        `响应率 ${pct(r.response.percent)}，解决率 ${pct(r.resolution.percent)}，满意率 ${pct(r.satisfaction.percent)}，` +
          `按时办结率 ${pct(r.onTime.percent)}，发回重办率 ${pct(r.rework.percent)}。`,
      ],
      charts: [
        {
          title: '三率及按时办结率',
          unit: '%',
          max: 100,
          bars: (['response', 'resolution', 'satisfaction', 'onTime'] as const).map((k) => ({
            label: RATE_LABELS[k].zh,
            value: r[k].percent,
          })),
        },
      ],
      tables: [
        {
          name: '总体数据',
          columns: ['指标', '数值'],
          rows: [
            ['诉求总量', vol.contacts],
            ['受理工单', vol.accepted],
            ['直接答复', vol.answeredAtFirstContact],
            ['合并', vol.merged],
            ['不予受理', vol.notAccepted],
            ['派单', vol.dispatched],
            ['办结答复', vol.replied],
            ['结案', vol.closed],
            ['回访', vol.callbacks],
            ...(Object.keys(RATE_LABELS) as (keyof Rates)[]).map(
              (k) => [`${RATE_LABELS[k].zh}(%)`, r[k].percent] as [string, number | null],
            ),
          ],
        },
      ],
    };
  }

  /** 不予受理: how many contacts were not accepted, by reason and by channel (by place and category: the tables above). */
  private notAccepted(v: RatesView, byReason: BreakdownRow[], byChannel: BreakdownRow[]): ReportSection {
    const n = v.volumes.notAccepted;
    const reasons = notAcceptedTable('不予受理原因', '原因', byReason);
    return {
      heading: '四、不予受理情况',
      paragraphs: [
        n
          ? `本期不予受理 ${n} 件，占接收诉求的 ${pct(rate(n, v.volumes.contacts).percent)}：` +
            `${reasons.rows.map(([label, count]) => `${label}（${count}件）`).join('、')}。`
          : '本期无不予受理的诉求。',
      ],
      tables: [reasons, notAcceptedTable('不予受理渠道', '渠道', byChannel)],
    };
  }

  private async summaryDoc(kind: 'daily' | 'weekly', p: Period, district: string | null): Promise<ReportDocument> {
    const v = await this.rates.computeFor(p, district);
    const byPlace = await this.rates.breakdownFor(p, district, district ? 'street' : 'district');
    const byCategory = await this.rates.breakdownFor(p, district, 'category');
    const top = [...byCategory.rows].sort((a, b) => b.volumes.accepted - a.volumes.accepted).slice(0, 10);
    const byReason = await this.rates.breakdownFor(p, district, 'notAcceptedReason');
    const byChannel = await this.rates.breakdownFor(p, district, 'channel');
    const sections: ReportSection[] = [
      this.overview(v),
      {
        heading: district ? '二、各街道（乡镇）情况' : '二、各区县情况',
        charts: [
          {
            title: '满意率',
            unit: '%',
            max: 100,
            bars: byPlace.rows.map((r) => ({ label: r.label, value: r.rates.satisfaction.percent })),
          },
        ],
        tables: [breakdownTable(district ? '各街道' : '各区县', district ? '街道' : '区县', byPlace.rows, true)],
      },
      {
        heading: '三、诉求热点',
        paragraphs: top.length
          ? [
              `受理量最多的诉求类别：${top
                .slice(0, 5)
                .map((r) => `${r.label}（${r.volumes.accepted}件）`)
                .join('、')}。`,
            ]
          : ['本期无受理工单。'],
        charts: [{ title: '受理量前十的诉求类别', unit: '件', bars: top.map((r) => ({ label: r.label, value: r.volumes.accepted })) }],
        tables: [breakdownTable('诉求类别', '类别', byCategory.rows, true)],
      },
      this.notAccepted(v, byReason.rows, byChannel.rows),
    ];
    if (kind === 'weekly') {
      const days: ReportTable = {
        name: '每日走势',
        columns: ['日期', '受理', '不予受理', '派单', '办结答复', '结案', '满意率(%)'],
        rows: [],
      };
      for (let d = DateTime.fromISO(p.from); d.toISODate()! <= p.to; d = d.plus({ days: 1 })) {
        const day = d.toISODate()!;
        const x = await this.rates.computeFor({ kind: 'day', from: day, to: day }, district);
        days.rows.push([
          day,
          x.volumes.accepted,
          x.volumes.notAccepted,
          x.volumes.dispatched,
          x.volumes.replied,
          x.volumes.closed,
          x.rates.satisfaction.percent,
        ]);
      }
      const units = await this.rates.breakdownFor(p, district, 'unit');
      const worst = units.rows
        .filter((r) => r.key && r.rates.satisfaction.percent !== null)
        .sort((a, b) => a.rates.satisfaction.percent! - b.rates.satisfaction.percent! || b.volumes.callbacks - a.volumes.callbacks)
        .slice(0, 10);
      sections.push(
        {
          heading: '五、每日走势',
          tables: [days],
          charts: [{ title: '每日受理量', unit: '件', bars: days.rows.map((r) => ({ label: String(r[0]), value: Number(r[1]) })) }],
        },
        { heading: '六、需关注的承办单位（满意率最低）', tables: [breakdownTable('需关注单位', '承办单位', worst)] },
      );
    }
    return {
      title: `${this.place(district)}12345热线${KIND_ZH[kind]}`,
      subtitle: `统计周期：${this.periodZh(p)}（${this.config.CITY_TIME_ZONE}）`,
      sections,
    };
  }

  private async monthly(p: Period, district: string | null): Promise<ReportDocument> {
    const month = p.from.slice(0, 7);
    const v = await this.rates.computeFor(p, district);
    const units = await this.rates.rankingFor(month, 'unit', district);
    const streets = await this.rates.rankingFor(month, 'street', district);
    const w = Object.entries(units.weights)
      .map(([k, x]) => `${RATE_LABELS[k as keyof Rates].zh}×${x}`)
      .join(' + ');
    const rankTable = (name: string, rows: typeof units.ranked): ReportTable => ({
      name,
      columns: ['名次', '单位', '派单', '综合得分', ...RATE_HEADERS],
      rows: rows.map((r) => [r.rank, r.label, r.volumes.dispatched, r.score, ...rateColumns(r.rates)]),
    });
    return {
      title: `${this.place(district)}12345热线${month.replace('-', '年')}月评比`,
      subtitle: `统计周期：${this.periodZh(p)}；综合得分 = ${w}（按权重归一）；派单不足 ${units.minOrders} 件的单位不参与排名`,
      sections: [
        this.overview(v),
        {
          heading: '二、红黑榜',
          paragraphs: [
            `红榜：${units.redList.map((r) => `${r.label}（${r.score}分）`).join('、') || '无'}。`,
            `黑榜：${units.blackList.map((r) => `${r.label}（${r.score}分）`).join('、') || '无'}。`,
          ],
          tables: [rankTable('红榜', units.redList), rankTable('黑榜', units.blackList)],
        },
        {
          heading: '三、承办单位综合排名',
          charts: [
            { title: '综合得分', unit: '分', max: 100, bars: units.ranked.slice(0, 30).map((r) => ({ label: r.label, value: r.score })) },
          ],
          tables: [rankTable('单位排名', units.ranked)],
        },
        { heading: '四、街道（乡镇）综合排名', tables: [rankTable('街道排名', streets.ranked)] },
      ],
    };
  }

  /** The report as a PDF with its Chinese text, drawn from the stored document in the configured CJK font. */
  async pdf(user: Principal, id: string): Promise<{ report: Report; pdf: Buffer }> {
    const report = await this.get(user, id);
    if (!report.document) throw new ConflictException(`report ${id} was generated before PDFs existed: generate it again`);
    const path = this.config.REPORT_PDF_FONT;
    if (!existsSync(path)) throw new ServiceUnavailableException(`the PDF font ${path} (REPORT_PDF_FONT) is not installed`);
    return { report, pdf: await renderPdf(report.document, { path, name: this.config.REPORT_PDF_FONT_NAME }) };
  }

  async list(user: Principal, q: ReportListQuery): Promise<{ total: number; items: ReportSummary[] }> {
    const pageSize = q.pageSize ?? 20;
    const [rows, total] = await this.reports.list(q.kind ?? null, districtScope(user), pageSize, ((q.page ?? 1) - 1) * pageSize);
    return { total, items: rows.map(summary) };
  }

  async get(user: Principal, id: string): Promise<Report> {
    const r = await this.reports.get(id);
    // A district user reads their districts' reports; the city's only with a city-wide scope.
    if (!r || (districtScope(user) && !(r.districtCode && inDistrict(user, r.districtCode))))
      throw new NotFoundException(`no report ${id}`);
    return r;
  }
}
