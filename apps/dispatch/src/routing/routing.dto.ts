import { RequestType, TicketFlag, Urgency } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional } from '@app/platform';
import { ArrayMaxSize, IsArray, IsEnum, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { OrgUnitView } from '../workflow/order.view';

export class CreateRouteRuleDto {
  @ApiProperty({ example: '630104' })
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode: string;

  @ApiPropertyOptional({ example: 'lift', description: 'Matches the category and its sub-categories; absent = any' })
  @IsOptional()
  @Matches(/^[a-z0-9_.]+$/, { message: 'categoryPrefix must be a category code such as lift or heating.no_heat' })
  categoryPrefix?: string;

  @ApiPropertyOptional({ example: '630104004' })
  @IsOptional()
  @Matches(/^\d{9}$/, { message: 'streetCode must be a nine-digit street or township code' })
  streetCode?: string;

  @ApiPropertyOptional({ enum: RequestType })
  @IsOptional()
  @IsEnum(RequestType)
  requestType?: RequestType;

  @ApiPropertyOptional({ enum: Urgency })
  @IsOptional()
  @IsEnum(Urgency)
  urgency?: Urgency;

  @ApiPropertyOptional({ enum: TicketFlag })
  @IsOptional()
  @IsEnum(TicketFlag)
  flag?: TicketFlag;

  @ApiProperty()
  @IsUUID()
  unitId: string;

  @ApiProperty({ example: 120, description: 'Higher wins' })
  @IsInt()
  @Min(0)
  @Max(10000)
  priority: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class ListRulesQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeInactive?: 'true' | 'false';
}

/** An order as the tester describes it: what the routing rules look at, and nothing else. */
export class TestRouteDto {
  @ApiProperty({ example: '630104' })
  @Matches(/^\d{6}$/, { message: 'districtCode must be a six-digit GB/T 2260 code' })
  districtCode: string;

  @ApiProperty({ example: 'lift.fault' })
  @Matches(/^[a-z0-9_.]+$/, { message: 'categoryCode must be a category code such as lift.fault' })
  categoryCode: string;

  @ApiPropertyOptional({ example: '630104004' })
  @IsOptional()
  @Matches(/^\d{9}$/, { message: 'streetCode must be a nine-digit street or township code' })
  streetCode?: string;

  @ApiProperty({ enum: RequestType })
  @IsEnum(RequestType)
  requestType: RequestType;

  @ApiProperty({ enum: Urgency })
  @IsEnum(Urgency)
  urgency: Urgency;

  @ApiPropertyOptional({ enum: TicketFlag, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(2)
  @IsEnum(TicketFlag, { each: true })
  flags?: TicketFlag[];
}

export class RouteRuleView {
  @ApiProperty() id: string;
  @ApiProperty() districtCode: string;
  @ApiProperty({ type: String, nullable: true }) categoryPrefix: string | null;
  @ApiProperty({ type: String, nullable: true }) streetCode: string | null;
  @ApiProperty({ enum: RequestType, nullable: true }) requestType: RequestType | null;
  @ApiProperty({ enum: Urgency, nullable: true }) urgency: Urgency | null;
  @ApiProperty({ enum: TicketFlag, nullable: true }) flag: TicketFlag | null;
  @ApiProperty() unitId: string;
  @ApiProperty() priority: number;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
}

/** The tester's answer: the rule and unit an order like this would be dispatched to now, or none. */
export class RouteTestView {
  @ApiProperty({ type: RouteRuleView, nullable: true }) rule: RouteRuleView | null;
  @ApiProperty({ type: OrgUnitView, nullable: true }) unit: OrgUnitView | null;
  @ApiProperty({ description: '双交办: a flagged order waits for the district leader first (the district centre asks for it)' })
  heldForLeader: boolean;
}
