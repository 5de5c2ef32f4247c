import { IsEnum, IsInt, IsISO8601, IsUUID, Min } from 'class-validator';
import { ClockKind, EscalationTarget } from '../enums';

/** sla → dispatch, analytics: a breached order climbed a step of the escalation ladder (督办升级). */
export class SlaEscalatedV1 {
  @IsUUID()
  clockId: string;

  @IsEnum(ClockKind)
  kind: ClockKind;

  @IsUUID()
  unitId: string;

  @IsInt()
  @Min(1)
  step: number;

  @IsEnum(EscalationTarget)
  target: EscalationTarget;

  @IsISO8601({ strict: true })
  escalatedAt: string;
}
