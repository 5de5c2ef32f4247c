import { Channel, NotAcceptedReason, RequestType, Urgency } from '@app/contracts';

/** Channels whose orders are raised by staff before anyone complains (未诉先办): no citizen. */
export const PROACTIVE_CHANNELS: readonly Channel[] = [Channel.GridWorker, Channel.VideoPatrol];

/**
 * Channels on which a citizen may stay fully anonymous (no name, no phone). A phone call always has
 * a number and a walk-in a person; there the citizen may only ask to be hidden from the unit.
 */
export const ANONYMOUS_CHANNELS: readonly Channel[] = [
  Channel.Web,
  Channel.MayorMailbox,
  Channel.OnlineOpinion,
  Channel.Media,
  Channel.ProblemWall,
  Channel.Open311,
];

/** Where the citizen is sent for a matter the hotline does not take (told on the spot, shown on lookup). */
export const NOT_ACCEPTED_GUIDANCE: Record<NotAcceptedReason, string> = {
  [NotAcceptedReason.Litigation]: '该事项已进入诉讼程序，12345热线不予受理。请向受理案件的人民法院了解进展。',
  [NotAcceptedReason.Arbitration]:
    '该事项已进入仲裁程序，12345热线不予受理。请向受理的仲裁机构（劳动争议请找劳动人事争议仲裁院）了解进展。',
  [NotAcceptedReason.AdministrativeReview]: '该事项已进入行政复议程序，12345热线不予受理。请向复议机关了解办理情况。',
  [NotAcceptedReason.Petition]: '该事项已按信访程序办理，12345热线不予受理。请向受理的信访工作机构了解办理情况。',
  [NotAcceptedReason.Concluded]: '该事项已依法办结，12345热线不再重复受理。如对结果不服，可依法申请行政复议或提起诉讼。',
};

/** One submission, whatever the channel: the operator's form, the public web form, Open311. */
export interface Submission {
  channel: Channel;
  requestType?: RequestType;
  categoryCode?: string;
  urgency?: Urgency;
  content: string;
  citizen?: { name: string; phone: string; smsOptOut?: boolean };
  anonymous?: boolean;
  identityHidden?: boolean;
  /** Keep the order off the public problem wall; absent: not asked. */
  publicWallOptOut?: boolean;
  location: {
    address: string;
    districtCode?: string;
    streetCode?: string;
    communityCode?: string;
    lat?: number;
    lng?: number;
  };
  disposition?: 'dispatch' | 'answered' | 'not_accepted';
  mergeInto?: string;
  answer?: string;
  articleId?: string;
  notAcceptedReason?: NotAcceptedReason;
  suggestedCategoryCode?: string;
}

/** Who submits: staff (scope-checked, their choices are confirmed labels) or the public. */
export interface Submitter {
  /** User id, or `public` / `open311:<client>`. */
  id: string;
  /** District scope of staff; null for the public. */
  districts: string[] | null;
  staff: boolean;
}

export interface IdempotencyInput {
  key: string;
  /** SHA-256 of the request as submitted. */
  requestHash: string;
}
