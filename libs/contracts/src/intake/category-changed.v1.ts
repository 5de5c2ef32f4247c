import { IsBoolean, IsISO8601, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

/**
 * intake → notify, analytics: a category of the maintained taxonomy (诉求分类) was added, renamed,
 * retired or restored by an administrator. Those that name categories to people (notify's messages,
 * analytics' reports and wall) keep the names from it; a code no event named keeps the shared
 * catalogue's name (libs/contracts/src/categories). Published under the city's code; the latest
 * `changedAt` wins. A retired category keeps its name: old orders still show it.
 */
export class CategoryChangedV1 {
  @Matches(/^[a-z][a-z0-9_]{1,30}(\.[a-z][a-z0-9_]{1,30}){0,2}$/, {
    message: 'code must be one to three dotted parts of lower case letters, digits and _ (heating.fee.refund)',
  })
  code: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  nameZh: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  nameEn: string;

  @IsBoolean()
  active: boolean;

  @IsISO8601({ strict: true })
  changedAt: string;
}
