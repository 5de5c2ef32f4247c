import { districtScope, FieldError, FieldValidationException, inDistrict, Principal, TransactionHost, TxHost } from '@app/platform';
import { ConflictException, ForbiddenException, Injectable, NotFoundException, Inject } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LEVELS } from '../supervision/supervision.entity';
import { isKnownCategory } from './categories';
import { PoliciesRepository } from './policies.repository';
import { CreatePolicyDto, LimitDto } from './policy.dto';
import { DEFAULT_ESCALATION, SlaPolicy } from './sla-policy.entity';

const MAX = { hours: 720, working_days: 60 } as const;

/** Time-limit policies: versioned rows; a change is a new version and running clocks keep theirs. */
@Injectable()
export class PoliciesService {
  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly policies: PoliciesRepository,
  ) {}

  list(user: Principal, activeOnly: boolean): Promise<SlaPolicy[]> {
    return this.policies.list(districtScope(user), activeOnly);
  }

  async create(user: Principal, dto: CreatePolicyDto): Promise<SlaPolicy> {
    const errors = policyErrors(dto);
    if (errors.length) throw new FieldValidationException(errors);
    if (dto.districtCode && !inDistrict(user, dto.districtCode))
      throw new ForbiddenException(`district ${dto.districtCode} is not in your districts`);
    return this.txHost.withTransaction(async () => {
      let version = 1;
      if (dto.supersedesId) {
        const old = await this.policies.lock(dto.supersedesId);
        if (!old || (old.districtCode && !inDistrict(user, old.districtCode))) throw new NotFoundException(`no policy ${dto.supersedesId}`);
        if (!old.active)
          throw new ConflictException(`policy ${old.id} (${old.name} v${old.version}) is already retired; supersede the active version`);
        version = old.version + 1;
        await this.policies.setActive(old.id, false);
      }
      const p = Object.assign(new SlaPolicy(), {
        id: randomUUID(),
        name: dto.name,
        version,
        districtCode: dto.districtCode ?? null,
        requestType: dto.requestType ?? null,
        categoryPrefix: dto.categoryPrefix ?? null,
        urgency: dto.urgency ?? null,
        flag: dto.flag ?? null,
        respondValue: dto.respond.value,
        respondUnit: dto.respond.unit,
        finishValue: dto.finish.value,
        finishUnit: dto.finish.unit,
        warnPercent: dto.warnPercent ?? 75,
        warnWorkingDaysBefore: dto.warnWorkingDaysBefore ?? null,
        escalation: dto.escalation?.map((s) => ({ target: s.target, afterWorkingDays: s.afterWorkingDays })) ?? DEFAULT_ESCALATION,
        maxExtensionWorkingDays: dto.maxExtensionWorkingDays ?? 10,
        autoApproveExtensionWorkingDays: dto.autoApproveExtensionWorkingDays ?? 0,
        pauseOn: dto.pauseOn ?? [],
        supersedesId: dto.supersedesId ?? null,
        createdBy: user.id,
        priority: dto.priority ?? 0,
        active: true,
      });
      await this.policies.insert(p);
      return (await this.policies.byId(p.id))!;
    });
  }

  /** Retire a policy: new orders stop matching it; running clocks keep it. The last catch-all stays. */
  retire(user: Principal, id: string): Promise<SlaPolicy> {
    return this.txHost.withTransaction(async () => {
      const p = await this.policies.lock(id);
      if (!p || (p.districtCode && !inDistrict(user, p.districtCode))) throw new NotFoundException(`no policy ${id}`);
      if (!p.active) throw new ConflictException(`policy ${id} is already retired`);
      const catchAll = !p.districtCode && !p.requestType && !p.categoryPrefix && !p.urgency && !p.flag;
      if (catchAll && (await this.policies.otherCatchAlls(id)) === 0) {
        throw new ConflictException('this is the only city-wide default policy: orders would match none; supersede it instead');
      }
      await this.policies.setActive(id, false);
      return { ...p, active: false };
    });
  }
}

/** The rules a DTO's shape cannot say: limits per unit, a known category, a ladder that climbs. */
export function policyErrors(dto: CreatePolicyDto): FieldError[] {
  const errors: FieldError[] = [];
  const limit = (field: string, l: LimitDto) => {
    if (l.value > MAX[l.unit]) errors.push({ field: `${field}.value`, reason: `at most ${MAX[l.unit]} ${l.unit}` });
  };
  limit('respond', dto.respond);
  limit('finish', dto.finish);
  const hours = (l: LimitDto) => (l.unit === 'hours' ? l.value : l.value * 24);
  if (hours(dto.respond) > hours(dto.finish))
    errors.push({ field: 'respond', reason: 'the respond limit cannot be longer than the finish limit' });
  if (dto.categoryPrefix && !isKnownCategory(dto.categoryPrefix)) {
    errors.push({ field: 'categoryPrefix', reason: `unknown category ${dto.categoryPrefix}` });
  }
  if (dto.warnWorkingDaysBefore && dto.finish.unit === 'working_days' && dto.warnWorkingDaysBefore >= dto.finish.value) {
    errors.push({ field: 'warnWorkingDaysBefore', reason: `must be less than the finish limit (${dto.finish.value} working days)` });
  }
  const ladder = dto.escalation ?? [];
  ladder.forEach((s, i) => {
    const prev = ladder[i - 1];
    if (prev && (s.afterWorkingDays < prev.afterWorkingDays || LEVELS.indexOf(s.target) < LEVELS.indexOf(prev.target))) {
      errors.push({ field: `escalation.${i}`, reason: 'each step must come no earlier and go no lower than the one before' });
    }
  });
  if ((dto.autoApproveExtensionWorkingDays ?? 0) > (dto.maxExtensionWorkingDays ?? 10)) {
    errors.push({ field: 'autoApproveExtensionWorkingDays', reason: 'cannot exceed maxExtensionWorkingDays' });
  }
  return errors;
}
