import { FieldValidationException, redactPublicText } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { ANALYTICS_CONFIG, AnalyticsConfig } from '../analytics.config';
import { CategoryNamesRepository } from '../categories/category-names.repository';
import { categoryZh } from '../common/labels';
import { WallItem, WallPage, WallQuery } from './wall.dto';
import { WallRepository, WallRow } from './wall.repository';

const STATUS_ZH: Record<WallItem['status'], string> = { accepted: '已受理', handling: '办理中', replied: '已答复', closed: '已办结' };

/** What a reply should never have carried on the wall (phone, ID numbers, house numbers, a named person): see redactPublicText. */
export function redactPersonalData(text: string): string {
  return redactPublicText(text);
}

export function wallStatus(r: Pick<WallRow, 'closed_at' | 'reply_cycle' | 'cycle' | 'dispatched_at'>): WallItem['status'] {
  if (r.closed_at) return 'closed';
  if (r.reply_cycle !== null && r.reply_cycle >= r.cycle) return 'replied';
  return r.dispatched_at ? 'handling' : 'accepted';
}

/** 问题墙回音壁: what the public may see of each order in a community. */
@Injectable()
export class WallService {
  constructor(
    private readonly wall: WallRepository,
    private readonly categories: CategoryNamesRepository,
    @Inject(ANALYTICS_CONFIG) private readonly config: AnalyticsConfig,
  ) {}

  async list(q: WallQuery): Promise<WallPage> {
    if (!q.communityCode && !q.streetCode && !q.districtCode) {
      throw new FieldValidationException([{ field: 'communityCode', reason: 'name a communityCode, streetCode or districtCode' }]);
    }
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const { total, rows } = await this.wall.page(q, pageSize, (page - 1) * pageSize);
    const categories = await this.categories.namesFor(rows.map((r) => r.category_code));
    const zone = this.config.CITY_TIME_ZONE;
    return {
      page,
      pageSize,
      total,
      items: rows.map((r) => {
        const status = wallStatus(r);
        return {
          orderNo: r.order_no,
          acceptedOn: DateTime.fromJSDate(r.accepted_at, { zone }).toISODate()!,
          districtCode: r.district_code,
          streetCode: r.street_code,
          communityCode: r.community_code,
          categoryCode: r.category_code,
          category: categoryZh(r.category_code, categories),
          requestType: r.request_type,
          status,
          statusLabel: STATUS_ZH[status],
          unitName: r.unit_name,
          deadline: r.finish_due_at ? r.finish_due_at.toISOString() : null,
          // A reply sent back or reopened is not the answer any more: shown only for the current cycle.
          reply: r.reply_text && (status === 'replied' || status === 'closed') ? redactPersonalData(r.reply_text) : null,
        };
      }),
    };
  }
}
