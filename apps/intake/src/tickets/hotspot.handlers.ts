import { Channel, EventEnvelope, RequestType } from '@app/contracts';
import { FieldValidationException, HandlerContext, OnEvent, PermanentEventError } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { SubmissionService } from './submission.service';

/** Who raises the order: the hotline itself, on a supervisor-confirmed hotspot. */
const HOTSPOT_SUBMITTER = { id: 'system:hotspot', districts: null, staff: true };

/**
 * 未诉先办: a hotspot a supervisor confirmed in analytics becomes a proactive order (no citizen),
 * routed like any other. The hotspot id is the submission's Idempotency-Key, so a redelivered or
 * replayed event returns the same order instead of raising a second one.
 */
@Injectable()
export class HotspotHandlers {
  constructor(private readonly submissions: SubmissionService) {}

  @OnEvent('hotspot.proposed.v1')
  async onHotspot(e: EventEnvelope<'hotspot.proposed.v1'>, _ctx: HandlerContext): Promise<void> {
    const d = e.data;
    const days = Math.max(1, Math.round((Date.parse(d.windowEnd) - Date.parse(d.windowStart)) / 86_400_000));
    const where = d.area ? `（${d.area.lat.toFixed(5)}, ${d.area.lng.toFixed(5)}，半径${d.area.radiusM}米）` : '';
    try {
      await this.submissions.submit(
        HOTSPOT_SUBMITTER,
        {
          channel: Channel.GridWorker,
          requestType: RequestType.Complaint,
          categoryCode: d.categoryCode,
          content: `未诉先办：近${days}天内该区域${where}共有${d.ticketCount}件同类诉求（热点 ${d.hotspotId}），请主动排查、从根本上解决这一类问题。`,
          location: {
            address: `热点区域${where}`,
            districtCode: e.district,
            ...(d.streetCode ? { streetCode: d.streetCode } : {}),
            ...(d.area ? { lat: d.area.lat, lng: d.area.lng } : {}),
          },
        },
        { key: `hotspot:${d.hotspotId}`, requestHash: createHash('sha256').update(d.hotspotId).digest('hex') },
      );
    } catch (err) {
      // A hotspot intake cannot take (a category since retired, a place outside the city) will
      // never become valid by retrying: keep it in the dead letters with the reasons.
      if (err instanceof FieldValidationException) throw new PermanentEventError(err.message);
      throw err;
    }
  }
}
