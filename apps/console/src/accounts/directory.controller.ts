import { CurrentUser, districtScope, Principal, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@app/platform';
import { Controller, Get, Query } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsUUID, Matches } from 'class-validator';
import { AccountsRepository } from './accounts.repository';

/** A colleague as other staff see them: a name and a unit, nothing else (no login, no mobile). */
export interface PersonView {
  id: string;
  displayName: string;
  unitId: string | null;
  unitName: string | null;
  roles: string[];
}

export class PeopleQuery {
  @ApiProperty({ description: 'dispatch unit id: the active people of that unit' })
  @IsUUID('all', { message: 'unitId must be a unit id (uuid)' })
  unitId: string;
}

export class NamesQuery {
  @ApiPropertyOptional({ description: 'Account ids, comma-separated (at most 100); other actors (system:*, service ids) are skipped' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100, { message: 'ids may name at most 100 people' })
  @Matches(/^[A-Za-z0-9_.:@-]{1,100}$/, { each: true, message: 'ids must be account ids' })
  ids?: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * 通讯录: who is who, for any person logged in: the people of a unit (the staff picker where a unit
 * names its handlers) and the names behind the account ids on timelines and records. Only people whose
 * districts meet the caller's.
 */
@ApiTags('directory 通讯录')
@Controller('directory')
export class DirectoryController {
  constructor(private readonly accounts: AccountsRepository) {}

  @Get('people')
  @ApiOperation({ summary: '单位人员 The active people of a unit (name, unit, roles)' })
  async people(@CurrentUser() user: Principal, @Query() q: PeopleQuery): Promise<PersonView[]> {
    const rows = await this.accounts.directory({ districts: districtScope(user), unitId: q.unitId });
    return rows.map(view);
  }

  @Get('names')
  @ApiOperation({ summary: '人员姓名 The names behind account ids (unknown ids are left out)' })
  async names(@CurrentUser() user: Principal, @Query() q: NamesQuery): Promise<PersonView[]> {
    const ids = [...new Set((q.ids ?? []).filter((id) => UUID.test(id)))];
    if (ids.length === 0) return [];
    const rows = await this.accounts.directory({ districts: districtScope(user), ids });
    return rows.map(view);
  }
}

function view(a: { id: string; displayName: string; unitId: string | null; unitName: string | null; roles: string[] }): PersonView {
  return { id: a.id, displayName: a.displayName, unitId: a.unitId, unitName: a.unitName, roles: a.roles };
}
