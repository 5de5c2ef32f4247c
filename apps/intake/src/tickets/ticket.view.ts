import { Channel, NotAcceptedReason, TicketFlag } from '@app/contracts';
import { Disposition, LocationSource, Progress, Ticket } from './ticket.entity';

/** An order as staff see it: the citizen only masked, never decrypted. */
export interface TicketView {
  id: string;
  orderNo: string;
  channel: Channel;
  requestType: string;
  categoryCode: string;
  urgency: string;
  content: string;
  location: {
    address: string;
    districtCode: string;
    streetCode: string | null;
    communityCode: string | null;
    lat: number | null;
    lng: number | null;
    /** given, gazetteer (resolved from the address) or triage (the city must place it). */
    source: LocationSource;
  };
  citizen: { name: string | null; phone: string | null } | null;
  anonymous: boolean;
  identityHidden: boolean;
  proactive: boolean;
  flags: TicketFlag[];
  disposition: Disposition;
  mergedInto: string | null;
  citizenCount: number;
  notAcceptedReason: NotAcceptedReason | null;
  /** The first-contact answer, or the guidance given with a refusal. */
  publicAnswer: string | null;
  articleId: string | null;
  suggestedCategory: string | null;
  progress: Progress;
  unitName: string | null;
  publicReply: string | null;
  acceptedAt: string;
}

export function toView(t: Ticket): TicketView {
  return {
    id: t.id,
    orderNo: t.orderNo,
    channel: t.channel,
    requestType: t.requestType,
    categoryCode: t.categoryCode,
    urgency: t.urgency,
    content: t.content,
    location: {
      address: t.address,
      districtCode: t.districtCode,
      streetCode: t.streetCode,
      communityCode: t.communityCode,
      lat: t.lat,
      lng: t.lng,
      source: t.locationSource,
    },
    citizen: t.citizenPhoneMasked ? { name: t.citizenNameMasked, phone: t.citizenPhoneMasked } : null,
    anonymous: t.anonymous,
    identityHidden: t.identityHidden,
    proactive: t.proactive,
    flags: t.flags,
    disposition: t.disposition,
    mergedInto: t.mergedInto,
    citizenCount: t.citizenCount,
    notAcceptedReason: t.notAcceptedReason,
    publicAnswer: t.publicAnswer,
    articleId: t.articleId,
    suggestedCategory: t.suggestedCategory,
    progress: t.progress,
    unitName: t.unitName ?? null,
    publicReply: t.publicReply ?? null,
    acceptedAt: t.acceptedAt.toISOString(),
  };
}

/** 办理状态 as the citizen reads it. */
export const PROGRESS_LABELS: Record<Progress, string> = {
  accepted: '已受理 Accepted',
  processing: '办理中 Being handled',
  replied: '已答复 Replied',
  closed: '已办结 Closed',
  answered: '已直接答复 Answered at first contact',
  not_accepted: '不予受理 Not accepted',
  merged: '已合并办理 Merged into another order',
};
