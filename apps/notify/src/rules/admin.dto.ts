import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
import { ROLES } from '@app/platform';
import { AUDIENCES, CHANNELS, NOTIFICATION_KINDS } from './rule.entity';

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
}

export class AttemptView {
  at: string;
  outcome: string;
  answer: string | null;
  error: string | null;
  durationMs: number;
}

export class DeliveryView {
  id: string;
  eventId: string;
  channel: string;
  /** Masked address or the robot's name. */
  to: string;
  personId: string | null;
  robotId: string | null;
  kind: string;
  urgent: boolean;
  ticketId: string | null;
  districtCode: string;
  title: string;
  state: string;
  notBefore: string;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  attemptLog: AttemptView[];
}

export class RunView {
  sent: number;
  retried: number;
  failed: number;
  dead: number;
  digests: number;
}
