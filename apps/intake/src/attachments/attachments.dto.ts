import { ApiProperty } from '@app/platform';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class AttachmentUploadQuery {
  @ApiProperty({ example: '现场照片.jpg', description: 'The file name to show and to download under' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  // No path separators, control characters or quotes: the name is echoed in Content-Disposition.
  @Matches(/^[^/\\"\p{Cc}]+$/u, { message: 'fileName may not contain / \\ " or control characters' })
  @Matches(/^(?!\.{1,2}$)/, { message: 'fileName may not be . or ..' })
  fileName: string;
}
