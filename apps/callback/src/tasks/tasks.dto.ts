import { CallbackChannel, Satisfaction } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional } from '@app/platform';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { TASK_KINDS, type AttemptResult, type TaskKind, type TaskState } from './callback-task.entity';

/** Query strings and HTML forms send booleans as text; anything else is left for @IsBoolean to refuse. */
export const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

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

  @ApiPropertyOptional({ enum: TASK_KINDS, description: 'reply and first_contact: the agents’ queue; spot_check: the supervisors’' })
  @IsOptional()
  @IsIn(TASK_KINDS)
  kind?: TaskKind;

  @ApiPropertyOptional({ description: 'Only tasks whose citizen had (not) called more than once (最多打一次)' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  repeatCall?: boolean;

  @ApiPropertyOptional({ description: 'Only open tasks past their due time (超期未回访)' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({ description: 'Only the tasks you hold now' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  mine?: boolean;

  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
