/**
 * The shapes the order endpoints answer with, for the OpenAPI document (and so the console's typed
 * client). They describe the entities as serialised; nothing constructs them.
 */
import { ReplyOutcome, RequestType, TicketFlag, Urgency } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional } from '@app/platform';
import { UNIT_KINDS, UnitKind } from '../org/org-unit.entity';
import { OrderState } from './order-state';

export class AttachmentRefView {
  @ApiProperty() name: string;
  @ApiProperty() url: string;
}

export class OrderView {
  @ApiProperty() ticketId: string;
  @ApiProperty({ example: '20260312-000123' }) orderNo: string;
  @ApiProperty() districtCode: string;
  @ApiProperty({ type: String, nullable: true }) streetCode: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The community (社区/村) intake placed the address in: the code of its unit' })
  communityCode: string | null;
  @ApiProperty() categoryCode: string;
  @ApiProperty({ enum: RequestType }) requestType: RequestType;
  @ApiProperty({ enum: Urgency }) urgency: Urgency;
  @ApiProperty({ enum: TicketFlag, isArray: true }) flags: TicketFlag[];
  @ApiProperty() content: string;
  @ApiProperty() address: string;
  @ApiProperty() identityHidden: boolean;
  @ApiProperty() proactive: boolean;
  @ApiProperty({ type: String, nullable: true }) transferredTo: string | null;
  @ApiProperty({ enum: OrderState }) state: OrderState;
  @ApiProperty({ type: String, nullable: true }) unitId: string | null;
  @ApiProperty({ type: String, nullable: true }) assignmentId: string | null;
  @ApiProperty({ type: String, nullable: true }) ruleId: string | null;
  @ApiProperty() cycle: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) assignedAt: string | null;
  @ApiProperty({ description: 'False once a return was decided (首接负责): the unit may not return it again' }) returnable: boolean;
  @ApiProperty({ type: String, nullable: true }) suggestedUnitId: string | null;
  @ApiProperty({ type: String, nullable: true }) suggestedRuleId: string | null;
  @ApiProperty({ type: [String] }) assignees: string[];
  @ApiProperty({ type: String, nullable: true }) subUnitId: string | null;
  @ApiProperty({ type: [AttachmentRefView] }) attachments: AttachmentRefView[];
  @ApiProperty({ type: String, nullable: true }) repliedBy: string | null;
  @ApiProperty() reworkCount: number;
  @ApiProperty({ enum: ReplyOutcome, nullable: true }) outcome: ReplyOutcome | null;
  @ApiProperty({ type: String, nullable: true }) replyText: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) respondDueAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishDueAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: "sla's warning point (预警) of the respond clock" })
  respondWarnAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: "sla's warning point (预警) of the finish clock" })
  finishWarnAt: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      '双交办 in hand: since when the reply waits for the district leader’s sign-off (POST …/leader-signoff); null when it does not',
  })
  leaderHoldAt: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) acceptedAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class TimelineEntryView {
  @ApiProperty() id: string;
  @ApiProperty() seq: string;
  @ApiProperty() ticketId: string;
  @ApiProperty({ type: String, format: 'date-time' }) at: string;
  @ApiProperty({ description: 'User id, or system:<service>' }) actor: string;
  @ApiProperty() action: string;
  @ApiProperty({ type: String, nullable: true }) fromState: string | null;
  @ApiProperty({ type: String, nullable: true }) toState: string | null;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
}

export class CoAssignmentView {
  @ApiProperty() id: string;
  @ApiProperty() ticketId: string;
  @ApiProperty() unitId: string;
  @ApiProperty({ enum: ['assigned', 'signed', 'submitted'] }) state: 'assigned' | 'signed' | 'submitted';
  @ApiProperty() addedBy: string;
  @ApiProperty({ type: String, format: 'date-time' }) addedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) signedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) signedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) partText: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) submittedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) submittedBy: string | null;
}

export class OrderDetailView extends OrderView {
  @ApiProperty({ type: [TimelineEntryView], description: 'Oldest first' }) timeline: TimelineEntryView[];
  @ApiProperty({ type: [CoAssignmentView] }) coUnits: CoAssignmentView[];
}

export class RouteRuleView {
  @ApiProperty() id: string;
  @ApiProperty() priority: number;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: String, nullable: true }) categoryPrefix: string | null;
  @ApiProperty({ type: String, nullable: true }) streetCode: string | null;
}

export class RouteUnitView {
  @ApiProperty() id: string;
  @ApiProperty() nameZh: string;
  @ApiPropertyOptional() nameEn?: string;
  @ApiProperty() kind: string;
}

export class RouteMatchView {
  @ApiProperty({ type: RouteRuleView }) rule: RouteRuleView;
  @ApiProperty({ type: RouteUnitView }) unit: RouteUnitView;
}

export class StoredSuggestionView {
  @ApiProperty({ type: String, nullable: true }) unitId: string | null;
  @ApiProperty({ type: String, nullable: true }) ruleId: string | null;
}

export class SuggestionView {
  @ApiProperty({ type: StoredSuggestionView }) stored: StoredSuggestionView;
  @ApiProperty({ type: RouteMatchView, nullable: true, description: 'What routing would choose now; null when no rule matches' })
  current: RouteMatchView | null;
}

export class OrgUnitView {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() nameZh: string;
  @ApiProperty() nameEn: string;
  @ApiProperty({ enum: UNIT_KINDS }) kind: UnitKind;
  @ApiProperty() districtCode: string;
  @ApiProperty({ type: String, nullable: true }) streetCode: string | null;
  @ApiProperty({ type: String, nullable: true }) parentId: string | null;
  @ApiProperty() requiresHeadSignoff: boolean;
  @ApiProperty() dualSignoffRequired: boolean;
  @ApiProperty() active: boolean;
}

export class ExtensionRequestedView {
  @ApiProperty() requestId: string;
  @ApiProperty() ticketId: string;
  @ApiProperty() cycle: number;
  @ApiProperty() days: number;
  @ApiProperty() reason: string;
  @ApiProperty() requestedAt: string;
}

export class RevealedContactView {
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty() phone: string;
}
