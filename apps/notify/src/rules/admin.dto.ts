import { ApiProperty, ApiPropertyOptional, ROLES } from '@app/platform';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { AUDIENCES, CHANNELS, NOTIFICATION_KINDS } from './rule.entity';
import { SEND_FAILURE_REASONS, SendFailureReason } from '../delivery/channels';

export class CreateRuleDto {
  @ApiProperty({ enum: NOTIFICATION_KINDS })
  @IsIn(NOTIFICATION_KINDS)
  kind: (typeof NOTIFICATION_KINDS)[number];

  @ApiProperty({ description: 'A person must hold every one of these roles', enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: string[];

  @ApiProperty({ enum: AUDIENCES })
  @IsIn(AUDIENCES)
  audience: (typeof AUDIENCES)[number];

  @ApiPropertyOptional({ description: 'Only orders of this district (absent: every district)' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit code' })
  districtCode?: string;

  @ApiProperty({ enum: CHANNELS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(CHANNELS, { each: true })
  channels: (typeof CHANNELS)[number][];
}

export class CreateRobotDto {
  @ApiProperty({ example: '胜利路街道工作群' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: ['wecom', 'dingtalk'] })
  @IsIn(['wecom', 'dingtalk'])
  provider: 'wecom' | 'dingtalk';

  @ApiPropertyOptional({ description: "The unit whose group it is (else the district's group)" })
  @ValidateIf((r: CreateRobotDto) => !r.districtCode || r.unitId !== undefined)
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ description: "The district whose group it is (when no unit is given; with a unit: the unit's district)" })
  @ValidateIf((r: CreateRobotDto) => !r.unitId || r.districtCode !== undefined)
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit code' })
  districtCode?: string;

  @ApiProperty({ description: 'The webhook URL (WeCom: …/webhook/send?key=…; DingTalk: …/robot/send?access_token=…)' })
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'webhookUrl must be an http(s) URL' })
  webhookUrl: string;

  @ApiPropertyOptional({ description: 'DingTalk 加签 secret (SEC…)' })
  @IsOptional()
  @IsString()
  @Length(8, 200)
  secret?: string;
}

export class RobotView {
  id: string;
  name: string;
  provider: string;
  unitId: string | null;
  districtCode: string | null;
  /** Scheme and host only: the key in the URL is a secret. */
  webhookHost: string;
  signed: boolean;
  active: boolean;
}

const STATES = ['pending', 'digest', 'digested', 'sent', 'failed', 'dead'] as const;
const DELIVERY_CHANNELS = ['sms', 'email', 'wecom', 'dingtalk'] as const;

export class DeliveriesQuery {
  @ApiPropertyOptional({ description: 'Comma-separated states (default: failed,dead: the dead ends)', example: 'failed,dead' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value))
  @IsArray()
  @IsIn(STATES, { each: true })
  state?: (typeof STATES)[number][];

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'Only this channel', enum: DELIVERY_CHANNELS })
  @IsOptional()
  @IsIn(DELIVERY_CHANNELS)
  channel?: (typeof DELIVERY_CHANNELS)[number];

  @ApiPropertyOptional({ description: 'Skip this many (newest first) to page on', minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export class AttemptView {
  @ApiProperty() at: string;
  @ApiProperty() outcome: string;
  @ApiProperty({ type: String, nullable: true }) answer: string | null;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
  /** The failure's kind; null for a send that went out. */
  @ApiProperty({ enum: SEND_FAILURE_REASONS, enumName: 'SendFailureReason', nullable: true }) reason: SendFailureReason | null;
  @ApiProperty() durationMs: number;
}

export class DeliveryView {
  @ApiProperty() id: string;
  @ApiProperty() eventId: string;
  @ApiProperty() channel: string;
  /** Masked address or the robot's name. */
  @ApiProperty() to: string;
  @ApiProperty({ type: String, nullable: true }) personId: string | null;
  /** The person's display name as the console announced it (null for a group robot). */
  @ApiProperty({ type: String, nullable: true }) personName: string | null;
  @ApiProperty({ type: String, nullable: true }) robotId: string | null;
  @ApiProperty() kind: string;
  @ApiProperty() urgent: boolean;
  @ApiProperty({ type: String, nullable: true }) ticketId: string | null;
  @ApiProperty() districtCode: string;
  @ApiProperty() title: string;
  @ApiProperty() state: string;
  @ApiProperty() notBefore: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  /** The last failure's kind, for the administrator (null once sent, and for rows older than the field). */
  @ApiProperty({ enum: SEND_FAILURE_REASONS, enumName: 'SendFailureReason', nullable: true }) lastReason: SendFailureReason | null;
  @ApiProperty({ type: String, nullable: true }) sentAt: string | null;
  @ApiProperty({ type: () => [AttemptView] }) attemptLog: AttemptView[];
}

export class RunView {
  sent: number;
  retried: number;
  failed: number;
  dead: number;
  digests: number;
}
