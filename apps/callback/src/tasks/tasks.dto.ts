import { CallbackChannel, Satisfaction } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import type { AttemptResult, TaskState } from './callback-task.entity';

export class AttemptDto {
  @ApiProperty({ enum: ['no_answer', 'busy', 'wrong_number', 'refused'] })
  @IsIn(['no_answer', 'busy', 'wrong_number', 'refused'])
  result: AttemptResult;
}

/** The callback questions: 是否联系 / 是否解决 / 是否满意. */
export class CompleteDto {
  @ApiProperty({ description: '承办单位是否联系过您 Did the unit contact you?' })
  @IsBoolean()
  contacted: boolean;

  @ApiProperty({ description: '问题是否解决 Is it resolved?' })
  @IsBoolean()
  resolved: boolean;

  @ApiProperty({ enum: Satisfaction, description: '满意 / 基本满意 / 不满意' })
  @IsEnum(Satisfaction)
  satisfaction: Satisfaction;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;

  @ApiPropertyOptional({ enum: CallbackChannel, default: CallbackChannel.Phone })
  @IsOptional()
  @IsEnum(CallbackChannel)
  channel?: CallbackChannel;
}

export class ListTasksQuery {
  @ApiPropertyOptional({ enum: ['pending', 'claimed', 'completed', 'failed'] })
  @IsOptional()
  @IsIn(['pending', 'claimed', 'completed', 'failed'])
  state?: TaskState;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  ticketId?: string;

  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
