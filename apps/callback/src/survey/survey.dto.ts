import { Satisfaction } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional } from '@app/platform';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { toBoolean } from '../tasks/tasks.dto';

export class SurveyTokenParam {
  @ApiProperty()
  @Matches(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[a-z0-9]+\.[A-Za-z0-9_-]+$/, { message: 'token is not a survey link token' })
  @MaxLength(300)
  token: string;
}

/** The citizen's answers, from the HTML form (`true`/`false` text) or as JSON. The same questions as by phone. */
export class SurveyAnswerDto {
  @ApiProperty({ description: '承办单位是否联系过您 Did the unit contact you?' })
  @Transform(toBoolean)
  @IsBoolean()
  contacted: boolean;

  @ApiProperty({ description: '问题是否解决 Is it resolved?' })
  @Transform(toBoolean)
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
}
