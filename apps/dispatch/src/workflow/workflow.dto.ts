import { ContactMethod, ReplyOutcome, ReviewDecision } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
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
}
