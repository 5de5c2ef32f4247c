/**
 * Answers of intake whose OpenAPI document has no response schema yet (the controllers return
 * interfaces); mirrors apps/intake/src/tickets/ticket.view.ts and tickets.service.ts. Request bodies
 * and query parameters come from the generated types (src/api/intake.d.ts).
 */
import type { components } from '../../api/intake';

export type CreateTicketBody = components['schemas']['CreateTicketDto'];
export type AssistBody = components['schemas']['AssistDto'];

export interface TicketView {
  id: string;
  orderNo: string;
  channel: string;
  requestType: string;
  categoryCode: string;
  urgency: string;
  content: string;
  location: {
    address: string;
    districtCode: string;
    streetCode: string | null;
    communityCode: string | null;
    source: 'given' | 'gazetteer' | 'triage' | 'dispatcher';
  };
  citizen: { name: string | null; phone: string | null } | null;
  identityHidden: boolean;
  flags: string[];
  disposition: 'dispatch' | 'answered' | 'not_accepted' | 'merged';
  mergedInto: string | null;
  citizenCount: number;
  notAcceptedReason: string | null;
  publicAnswer: string | null;
  progress: string;
  unitName: string | null;
  acceptedAt: string;
}

export interface CreatedTicket extends TicketView {
  statusToken: string;
}

export interface TicketPage {
  items: TicketView[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Category {
  code: string;
  parentCode: string | null;
  level: number;
  nameZh: string;
  nameEn: string;
  active: boolean;
}

export interface Article {
  id: string;
  title: string;
  body: string;
  categoryCodes: string[];
}

export interface Duplicate {
  id: string;
  orderNo: string;
  categoryCode: string;
  address: string;
  acceptedAt: string;
  citizenCount: number;
  progress: string;
  similarity: number;
  nearby: 'street' | 'radius' | 'district';
}

export interface AssistView {
  classification: {
    categories: { code: string; nameZh: string; nameEn: string; score: number }[];
    requestType: string;
    urgency: string;
  };
  location: { districtCode: string | null; streetCode: string | null; communityCode: string | null };
  duplicates: Duplicate[];
  repeatOf: { id: string; orderNo: string; progress: string; acceptedAt: string }[];
  articles: Article[];
}

export const CHANNELS = [
  'phone_12345',
  'web',
  'mayor_mailbox',
  'online_opinion',
  'media',
  'grid_worker',
  'video_patrol',
  'problem_wall',
  'walk_in',
] as const;
export const REQUEST_TYPES = ['complaint', 'help', 'inquiry', 'suggestion', 'report', 'praise'] as const;
export const URGENCIES = ['urgent', 'ordinary', 'long_term'] as const;
export const NOT_ACCEPTED_REASONS = ['litigation', 'arbitration', 'administrative_review', 'petition', 'concluded'] as const;
export const PROGRESS = ['accepted', 'processing', 'replied', 'closed', 'answered', 'not_accepted', 'merged'] as const;
