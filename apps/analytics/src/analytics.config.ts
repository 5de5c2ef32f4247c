import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNumber, Matches, Max, Min } from 'class-validator';
import { ServiceConfig, toNumber } from '@app/platform';

export class AnalyticsConfig extends ServiceConfig {
  /**
   * Batches on (BUS_BATCH, docs/architecture.md "Batches"): the live projector applies a batch's
   * events together at its end, taking its rows in one global order, so concurrent batches queue
   * instead of deadlocking (facts.projector.ts). 128: a batch's fixed statements (inbox, locks, the
   * facts' insert and update, the rollups' upserts, the commit) are paid for up to 128 events.
   */
  override BUS_BATCH = 128;

  /**
   * A batch that is not full waits up to 1 s for more events of its type (BUS_BATCH_LINGER_MS): the
   * read model (rates, hotspots) is 1 s later at most, which no reader of a daily rate notices, and
   * under load the batches are ~4 times larger than with 200 ms (bench/README.md, issue 17: 20 → 82
   * events, analytics' statements per order 1.3 → 0.35, its CPU −20 %).
   */
  override BUS_BATCH_LINGER_MS = 1000;

  override PORT = 3005;

  /** How much a 基本满意 (basically satisfied) answer counts in the satisfaction rate: 1 = fully, 0.5 = half. */
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(1)
  RATE_BASIC_SATISFIED_WEIGHT: number = 1;

  /**
   * Unreachable callbacks in the resolution and satisfaction rates: `exclude` them from the
   * denominators (default), or count them as `unresolved` (not resolved, not satisfied).
   */
  @IsIn(['exclude', 'unresolved'])
  RATE_FAILED_CALLBACKS: 'exclude' | 'unresolved' = 'exclude';

  /**
   * Weights of the composite score (综合得分) that ranks units and streets monthly:
   * `rate:weight` pairs over response, resolution, satisfaction, onTime (and rework, which counts
   * as 100 − rework%). Normalised by their sum.
   */
  @Matches(
    /^(response|resolution|satisfaction|onTime|rework):(\d+(\.\d+)?)(,(response|resolution|satisfaction|onTime|rework):(\d+(\.\d+)?))*$/,
    {
      message: 'RATE_SCORE_WEIGHTS must be rate:weight pairs, e.g. response:0.2,resolution:0.4,satisfaction:0.4',
    },
  )
  RATE_SCORE_WEIGHTS: string = 'response:0.2,resolution:0.4,satisfaction:0.4';

  /** A unit or street enters the monthly ranking with at least this many dispatched orders in the month. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  RANKING_MIN_ORDERS: number = 5;

  /** How many units the red list (红榜, best) and the black list (黑榜, worst) name. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(50)
  RANKING_LIST_SIZE: number = 3;

  /** Side of a hotspot grid cell in metres. */
  @Transform(toNumber)
  @IsInt()
  @Min(50)
  @Max(10_000)
  HOTSPOT_CELL_M: number = 500;

  /** Orders of one category in one cell within the window that make a hotspot. */
  @Transform(toNumber)
  @IsInt()
  @Min(2)
  HOTSPOT_MIN_COUNT: number = 3;

  /** Latitude at which grid cells are square (the city's own; Xining 36.62). */
  @Transform(toNumber)
  @IsNumber()
  @Min(-80)
  @Max(80)
  HOTSPOT_REF_LAT: number = 36.62;

  /** Generate the daily summary (and on Mondays the weekly bulletin, on the 1st the monthly ranking) on schedule. */
  @IsIn(['on', 'off'])
  REPORT_SCHEDULE: 'on' | 'off' = 'on';

  /** When, in CITY_TIME_ZONE (cron with seconds). */
  @Matches(/^(\S+\s+){5}\S+$/, { message: 'REPORT_CRON must be a six-field cron expression (with seconds)' })
  REPORT_CRON: string = '0 30 1 * * *';

  /**
   * The CJK font the PDF reports are drawn with (TrueType/OpenType, or a collection .ttc). The image
   * installs Debian's fonts-wqy-microhei here (Dockerfile); without the file the PDF answers 503.
   */
  @Matches(/^\/.+\.(ttf|otf|ttc)$/i, { message: 'REPORT_PDF_FONT must be an absolute path to a .ttf, .otf or .ttc font' })
  REPORT_PDF_FONT: string = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

  /** The font's PostScript name inside a collection (.ttc); ignored for a single font file. */
  @Matches(/^[A-Za-z0-9-]*$/, { message: 'REPORT_PDF_FONT_NAME must be a PostScript font name' })
  REPORT_PDF_FONT_NAME: string = 'WenQuanYiMicroHei';

  /**
   * The base map of the hotspot map: an XYZ tile URL with {z}, {x} and {y} (and optionally {s}),
   * e.g. the city's own tile server. Empty: the console plots the hotspots on plain longitude and
   * latitude axes.
   */
  @Matches(/^$|^https?:\/\/[^\s]*\{z\}[^\s]*$/, { message: 'MAP_TILE_URL must be empty or an http(s) URL with {z}, {x} and {y}' })
  @Matches(/^$|\{x\}.*\{y\}|\{y\}.*\{x\}/, { message: 'MAP_TILE_URL must contain {x} and {y}' })
  MAP_TILE_URL: string = '';

  /** The tiles' attribution, shown under the map (required by most tile providers' terms). */
  @Matches(/^[^<>]{0,200}$/, { message: 'MAP_TILE_ATTRIBUTION must be plain text of at most 200 characters' })
  MAP_TILE_ATTRIBUTION: string = '';
}

export const ANALYTICS_CONFIG = Symbol('ANALYTICS_CONFIG');

export type ScoreRate = 'response' | 'resolution' | 'satisfaction' | 'onTime' | 'rework';

export function scoreWeights(c: AnalyticsConfig): Partial<Record<ScoreRate, number>> {
  return Object.fromEntries(
    c.RATE_SCORE_WEIGHTS.split(',').map((p) => {
      const [k, v] = p.split(':');
      return [k, Number(v)];
    }),
  );
}
