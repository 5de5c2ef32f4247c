import { ContactMethod, ReplyOutcome, ReviewDecision, TicketFlag, Urgency } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional } from '@app/platform';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { OrderState } from './order-state';

export class ContactDto {
  @ApiProperty({ enum: ContactMethod })
  @IsEnum(ContactMethod)
  method: ContactMethod;

  @ApiPropertyOptional({ example: '已电话联系诉求人，约定今天下午上门' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;

  @ApiPropertyOptional({ description: 'When the citizen was reached (default: now); not before the assignment, not in the future' })
  @IsOptional()
  @IsISO8601({ strict: true })
  contactedAt?: string;
}

/** 显示号码: why the handler needs the citizen's contact (written to intake's audit log). */
export class RevealContactDto {
  @ApiProperty({ example: '电话联系诉求人核实电梯故障情况' })
  @IsString()
  @IsNotEmpty({ message: 'purpose must say why the contact is needed' })
  @MaxLength(500)
  purpose: string;
}

/** Evidence for the reply (现场照片, 整改材料): a name and a link to the document store. */
export class AttachmentDto {
  @ApiProperty({ example: '电梯维修记录.pdf' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'https://files.example.gov.cn/orders/1/lift.pdf' })
  @IsUrl({ protocols: ['http', 'https'], require_tld: false })
  url: string;
}

export class ReplyDto {
  @ApiProperty({ enum: ReplyOutcome })
  @IsEnum(ReplyOutcome)
  outcome: ReplyOutcome;

  @ApiProperty({ description: 'The reply the citizen will read (答复内容)', example: '已督促物业公司维修电梯，经检测运行正常。' })
  @IsString()
  @MinLength(10, { message: 'replyText must say what was done (at least 10 characters)' })
  @MaxLength(4000)
  replyText: string;

  @ApiPropertyOptional({ type: [AttachmentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AttachmentDto)
  attachments?: AttachmentDto[];
}

/** 一把手签批: the unit head signs the reply off, or sends it back to the handler with the reason. */
export class SignoffDto {
  @ApiProperty({ enum: ['approved', 'rejected'] })
  @IsIn(['approved', 'rejected'])
  decision: 'approved' | 'rejected';

  @ApiPropertyOptional({ description: 'Required when rejected' })
  @ValidateIf((o: SignoffDto) => o.decision === 'rejected' || o.reason !== undefined)
  @IsString()
  @IsNotEmpty({ message: 'reason is required when a reply is rejected' })
  @MaxLength(2000)
  reason?: string;
}

/** 退单: why the order is not the unit's (with the unit it should go to, if known). */
export class ReturnRequestDto {
  @ApiProperty({ example: '该电梯属住建部门监管的保障房项目，非本单位职责' })
  @IsString()
  @MinLength(4, { message: 'reason must say why the order is not yours (at least 4 characters)' })
  @MaxLength(2000)
  reason: string;
}

export class ReturnDecisionDto {
  @ApiProperty({ enum: ['accepted', 'refused'] })
  @IsIn(['accepted', 'refused'])
  decision: 'accepted' | 'refused';

  @ApiPropertyOptional({ description: 'Required when accepted: the unit the order goes to now' })
  @ValidateIf((o: ReturnDecisionDto) => o.decision === 'accepted' || o.unitId !== undefined)
  @IsUUID()
  unitId?: string;

  @ApiProperty({ example: '经核实属本单位职责，请按首接负责办理' })
  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  reason: string;
}

/** Manual dispatch (人工派单) of an unrouted order, or the leader's dispatch of a 双交办 order. */
export class DispatchDto {
  @ApiProperty()
  @IsUUID()
  unitId: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class LeaderDispatchDto {
  @ApiPropertyOptional({ description: 'Default: the unit routing suggested' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ example: '请市场监管局牵头，三日内办结' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

/** 区领导签批 of an order a merge made 双交办 while its unit had it. */
export class LeaderSignoffDto {
  @ApiPropertyOptional({ example: '请市场监管局三日内办结并报结果' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

/** 转办: the dispatcher moves an order in hand to another unit. */
export class RedispatchDto {
  @ApiProperty()
  @IsUUID()
  unitId: string;

  @ApiProperty()
  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  reason: string;
}

/** 转区: the order belongs to another district (or back to the city centre, 退回市中心). */
export class TransferDistrictDto {
  @ApiProperty({ example: '630105', description: 'The district to hand the order to; the city code sends it back to the city centre' })
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode: string;

  @ApiPropertyOptional({ example: '630105002', description: 'The street, when known; otherwise the district decides' })
  @IsOptional()
  @Matches(/^\d{9}$/, { message: 'streetCode must be a nine-digit township code' })
  streetCode?: string;

  @ApiProperty({ example: '地址位于城北区小桥大街，非本区管辖' })
  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  reason: string;
}

/** 重办: the dispatcher reopens an order (the citizen came back), to the same unit or another. */
export class ReopenDto {
  @ApiProperty({ example: '诉求人再次来电反映问题未解决' })
  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  reason: string;

  @ApiPropertyOptional({ description: 'Another unit; default: the same unit' })
  @IsOptional()
  @IsUUID()
  unitId?: string;
}

/** 分派: a resident desk or department names its handlers; a street passes the order to a community. */
export class AssignDto {
  @ApiPropertyOptional({ example: ['h-630104-market', 'h-630104-market-2'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(/^[A-Za-z0-9_.:@-]{1,100}$/, { each: true, message: 'assignees must be user ids' })
  assignees?: string[];

  @ApiPropertyOptional({ description: 'A child unit (community) of the handling unit' })
  @IsOptional()
  @IsUUID()
  subUnitId?: string;
}

/** 吹哨报到: co-units called in to a joint handling. */
export class CoUnitsDto {
  @ApiProperty()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  unitIds: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class CoPartDto {
  @ApiProperty({ example: '区生态环境局已对台球室噪声进行检测并责令整改' })
  @IsString()
  @MinLength(4)
  @MaxLength(4000)
  partText: string;
}

export class ReviewDto {
  @ApiProperty({ enum: ReviewDecision })
  @IsEnum(ReviewDecision)
  decision: ReviewDecision;

  @ApiPropertyOptional({ description: 'Required when sending back: what the reply failed to address' })
  @ValidateIf((o: ReviewDto) => o.decision === ReviewDecision.SentBack)
  @IsString()
  @IsNotEmpty({ message: 'reason is required when a reply is sent back' })
  @MaxLength(2000)
  reason?: string;
}

/** 延期申请: the unit asks for more working days before its deadline; sla decides. */
export class ExtensionRequestDto {
  @ApiProperty({ example: 5, description: 'Working days asked for (the policy caps what can be granted, 10 by default)' })
  @IsInt()
  @Min(1)
  @Max(60)
  days: number;

  @ApiProperty({ example: '需协调供热公司更换主管道，施工需5个工作日' })
  @IsString()
  @MinLength(2, { message: 'reason must say why more time is needed' })
  @MaxLength(2000)
  reason: string;
}

export interface ExtensionRequested {
  requestId: string;
  ticketId: string;
  cycle: number;
  days: number;
  reason: string;
  requestedAt: string;
}

export class ListOrdersQuery {
  @ApiPropertyOptional({ enum: OrderState })
  @IsOptional()
  @IsEnum(OrderState)
  state?: OrderState;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ enum: Urgency })
  @IsOptional()
  @IsEnum(Urgency)
  urgency?: Urgency;

  @ApiPropertyOptional({ enum: TicketFlag })
  @IsOptional()
  @IsEnum(TicketFlag)
  flag?: TicketFlag;

  @ApiPropertyOptional({ description: 'Finish due at or before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  dueBefore?: string;

  @ApiPropertyOptional({
    enum: ['true'],
    description:
      '双交办待区领导签批: orders waiting for the district leader, held before their dispatch (awaiting_leader) or in hand (a merge made them 双交办; their reply waits for the sign-off). Replaces `state`',
  })
  @IsOptional()
  @IsIn(['true'], { message: 'awaitingLeader must be true' })
  awaitingLeader?: 'true';

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: '超期: past a due time not yet met (respond: not contacted; finish: not replied), per sla’s latest due times',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'overdue must be true or false' })
  overdue?: 'true' | 'false';

  @ApiPropertyOptional({
    type: String,
    description: 'Only these orders: up to 100 order ids, comma-separated (a list that names orders, e.g. supervision, in one call)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @IsArray({ message: 'ticketIds must be order ids, comma-separated' })
  @ArrayMaxSize(100, { message: 'ticketIds may name at most 100 orders' })
  @IsUUID('all', { each: true, message: 'ticketIds must be order ids (uuid)' })
  ticketIds?: string[];

  @ApiPropertyOptional({ description: 'A handler’s user id, or `me`' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:@-]{1,100}$/, { message: 'assignee must be a user id or me' })
  assignee?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';

  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ default: 0, maximum: 10000, description: 'Rows to skip (paging, in the list’s order)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10000)
  offset?: number;
}

/**
 * The dispatcher's queues (派单员待办):
 * - `unrouted` 待派: no rule placed the order (district orders; the city's own are `city`);
 * - `returned` 退单申请: a unit asked to return the order;
 * - `leader` 双交办: held for the district leader's sign-off (before dispatch, `awaiting_leader`; or in hand, whose reply waits for it);
 * - `review` 待审核: replies waiting for the dispatcher's review;
 * - `city` 市级分拨: orders intake could not place in a district, for the city dispatcher.
 */
export const DISPATCH_QUEUES = ['unrouted', 'returned', 'leader', 'review', 'city'] as const;
export type DispatchQueue = (typeof DISPATCH_QUEUES)[number];

export class QueueQuery {
  @ApiPropertyOptional({ enum: DISPATCH_QUEUES, description: 'One queue; without it: unrouted, returned and review together' })
  @IsOptional()
  @IsIn(DISPATCH_QUEUES, { message: `queue must be one of ${DISPATCH_QUEUES.join(', ')}` })
  queue?: DispatchQueue;

  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ default: 0, maximum: 10000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10000)
  offset?: number;
}

/** How many orders wait in each of the dispatcher's queues, in the caller's districts. */
export class QueueCounts {
  @ApiProperty() unrouted: number;
  @ApiProperty() returned: number;
  @ApiProperty() leader: number;
  @ApiProperty() review: number;
  @ApiProperty() city: number;
}

/** 批量派单: several selected orders to one unit. */
export class BulkDispatchDto {
  @ApiProperty({ type: [String], description: 'The orders (1–50), each unrouted' })
  @IsArray()
  @ArrayMinSize(1, { message: 'ticketIds must name at least one order' })
  @ArrayMaxSize(50, { message: 'ticketIds may name at most 50 orders' })
  @ArrayUnique({ message: 'ticketIds must not repeat an order' })
  @IsUUID('all', { each: true, message: 'ticketIds must be order ids (uuid)' })
  ticketIds: string[];

  @ApiProperty()
  @IsUUID()
  unitId: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

/** One order's outcome in a bulk dispatch: dispatched, or the status and reason it was refused with. */
export class BulkDispatchResult {
  @ApiProperty() ticketId: string;
  @ApiProperty() ok: boolean;
  @ApiPropertyOptional({ description: 'The order’s state after the dispatch' }) state?: string;
  @ApiPropertyOptional({ description: 'HTTP status the single dispatch would have answered (404, 409, 400)' }) status?: number;
  @ApiPropertyOptional({ description: 'Why this order was not dispatched' }) message?: string;
}

export class BulkDispatchReply {
  @ApiProperty({ type: [BulkDispatchResult] }) results: BulkDispatchResult[];
  @ApiProperty() dispatched: number;
  @ApiProperty() refused: number;
}
