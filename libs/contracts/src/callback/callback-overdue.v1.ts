import { IsIn, IsInt, IsISO8601, IsUUID, Min } from 'class-validator';

/** The kinds of callback task (callback's `TaskKind`). */
export const CALLBACK_TASK_KINDS = ['reply', 'first_contact', 'spot_check', 'expiry'] as const;

/** callback → notify: a callback task passed its due time and is still open (回访逾期). Once per task. */
export class CallbackOverdueV1 {
  @IsUUID()
  taskId: string;

  @IsUUID()
  unitId: string;

  @IsInt()
  @Min(1)
  cycle: number;

  @IsIn(CALLBACK_TASK_KINDS)
  taskKind: (typeof CALLBACK_TASK_KINDS)[number];

  @IsISO8601({ strict: true })
  dueAt: string;

  @IsISO8601({ strict: true })
  overdueAt: string;
}
