import { ApiProperty } from '@app/platform';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class CreateSupplementDto {
  @ApiProperty({ example: '市民补充：楼道暖气也不热，已持续三天', minLength: 1, maxLength: 4000 })
  @IsString()
  @MinLength(1)
  @MaxLength(4000, { message: 'text may be at most 4000 characters (the ticket.supplemented.v1 limit)' })
  @Matches(/\S/, { message: 'text may not be blank' })
  text: string;
}
