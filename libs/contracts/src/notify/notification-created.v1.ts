import { IsBoolean, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

/**
 * notify → console: a person has a new notification in their inbox. The console's live stream
 * forwards it to that person only (a toast and the bell's count). The text carries the order number,
 * category, place at street level and deadline, never the citizen's name or phone.
 */
export class NotificationCreatedV1 {
  @IsUUID()
  notificationId: string;

  /** The staff account (console account id) it is for. */
  @IsString()
  @MaxLength(100)
  recipientId: string;

  /** What happened: `dispatched`, `urged`, `sent_back`, `reopened`, `warning`, `breached`, `dual_hold`, `escalated`, `callback_overdue`, `supplemented`, `supervised`, `supervision_closed`. */
  @Matches(/^[a-z_]+$/)
  kind: string;

  @IsBoolean()
  urgent: boolean;

  @IsString()
  @MaxLength(200)
  title: string;

  @IsString()
  @MaxLength(1000)
  body: string;

  @IsOptional()
  @Matches(/^\d{8}-\d{6}$/)
  orderNo?: string;

  @IsISO8601({ strict: true })
  createdAt: string;
}
