import { ApiProperty, ApiPropertyOptional } from '@app/platform';
import { Transform, Type } from 'class-transformer';
import { ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class InboxQuery {
  @ApiPropertyOptional({ description: 'Only unread notifications' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 10000, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10000)
  offset?: number;
}

export class NotificationView {
  @ApiProperty() id: string;
  @ApiProperty({
    description:
      'dispatched, urged, sent_back, reopened, warning, breached, dual_hold, escalated, callback_overdue, supplemented, supervised, supervision_closed',
  })
  kind: string;
  @ApiProperty() urgent: boolean;
  @ApiProperty({ type: String, nullable: true }) ticketId: string | null;
  @ApiProperty({ type: String, nullable: true }) orderNo: string | null;
  @ApiProperty() districtCode: string;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) readAt: string | null;
}

export class InboxPage {
  @ApiProperty({ type: [NotificationView] }) items: NotificationView[];
  @ApiProperty() total: number;
  @ApiProperty() unread: number;
}

export class UnreadCount {
  @ApiProperty() unread: number;
}

export class ReadAll {
  @ApiProperty() read: number;
}

export class PreferencesDto {
  @ApiPropertyOptional({
    description: 'Quiet hours start, city time HH:MM (null = the default)',
    nullable: true,
    type: String,
    example: '22:00',
  })
  @IsOptional()
  @Matches(HHMM, { message: 'quietStart must be HH:MM' })
  quietStart?: string | null;

  @ApiPropertyOptional({
    description: 'Quiet hours end, city time HH:MM (null = the default)',
    nullable: true,
    type: String,
    example: '07:00',
  })
  @IsOptional()
  @Matches(HHMM, { message: 'quietEnd must be HH:MM' })
  quietEnd?: string | null;

  @ApiPropertyOptional({ description: 'Collect non-urgent SMS and e-mail into one daily digest' })
  @IsOptional()
  @IsBoolean()
  digest?: boolean;

  @ApiPropertyOptional({
    description: 'Time of the daily digest, city time HH:MM (null = the default)',
    nullable: true,
    type: String,
    example: '08:00',
  })
  @IsOptional()
  @Matches(HHMM, { message: 'digestAt must be HH:MM' })
  digestAt?: string | null;

  @ApiPropertyOptional({ description: 'Channels turned off', enum: ['sms', 'email'], isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(['sms', 'email'], { each: true })
  mutedChannels?: string[];
}

export class PreferencesView {
  @ApiProperty() personId: string;
  @ApiProperty() quietStart: string;
  @ApiProperty() quietEnd: string;
  @ApiProperty() digest: boolean;
  @ApiProperty() digestAt: string;
  @ApiProperty({ type: [String] }) mutedChannels: string[];
  /** Whether the staff account has a mobile / an e-mail for SMS and mail (the addresses stay in the console). */
  @ApiProperty() hasMobile: boolean;
  @ApiProperty() hasEmail: boolean;
}
