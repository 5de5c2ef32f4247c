/**
 * What the citizens' public endpoints answer (intake's status look-up, analytics' problem wall), read by
 * the console's server-rendered citizen pages: one definition for the service that answers and the
 * console that renders.
 */
/** 办理状态 for the citizen: the order number, where it stands, who handles it, the public reply. Nothing else. */
export interface CitizenStatusView {
  orderNo: string;
  status: string;
  statusLabel: string;
  category: string;
  acceptedAt: string;
  unitName: string | null;
  reply: string | null;
  /** The order this request was merged into, when it was. */
  mergedIntoOrderNo: string | null;
  updatedAt: string;
  /**
   * Whether the citizen may add to the order now (补充诉求, `POST /public/requests/:orderNo/supplements`):
   * it is being handled, and not merged, answered, refused or closed. Absent from an intake older than it.
   */
  canSupplement?: boolean;
  /**
   * When the citizen added to it from the status page, oldest first. Only the times: like the request
   * itself, the words are never shown back (a receipt can be passed on). Absent from an older intake.
   */
  supplementedAt?: string[];
}

/** One order on the wall. Nothing here names, locates or reaches the citizen. */
export interface WallItem {
  orderNo: string | null;
  acceptedOn: string;
  districtCode: string;
  streetCode: string | null;
  communityCode: string | null;
  categoryCode: string | null;
  category: string;
  requestType: string | null;
  status: 'accepted' | 'handling' | 'replied' | 'closed';
  statusLabel: string;
  /** 责任单位 */
  unitName: string | null;
  /** 办理时限 */
  deadline: string | null;
  /** 答复 (the unit's public reply, with anything that looks like a phone or ID number masked). */
  reply: string | null;
}

export interface WallPage {
  page: number;
  pageSize: number;
  total: number;
  items: WallItem[];
}
