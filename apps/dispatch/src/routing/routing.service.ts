import { districtScope, FieldValidationException, inDistrict, PgListener, Principal, ReferenceCache } from '@app/platform';
import {
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DISPATCH_CONFIG, DispatchConfig } from '../dispatch.config';
import { OrgRepository } from '../org/org.repository';
import { assertServed } from '../org/served-districts';
import { RouteRule } from './route-rule.entity';
import { CreateRouteRuleDto, ListRulesQuery, RouteTestView, TestRouteDto } from './routing.dto';
import { bestRoute } from './route-match';
import { RouteMatch, RouteQuery, RoutingRepository } from './routing.repository';

/**
 * Chooses the handling unit for an order from its district's rule set, and lets each district
 * manage its own rules (its dispatchers, or an admin of the district). The rules and their units are
 * kept in memory (`ReferenceCache`: read again after every change to either table, by anyone), not
 * read for every arriving order.
 */
@Injectable()
export class RoutingService implements OnApplicationBootstrap {
  private readonly byDistrict = new ReferenceCache(async () => {
    const map = new Map<string, RouteMatch[]>();
    for (const m of await this.rules.activeRules()) {
      const list = map.get(m.rule.districtCode);
      if (list) list.push(m);
      else map.set(m.rule.districtCode, [m]);
    }
    return map;
  });

  constructor(
    private readonly rules: RoutingRepository,
    private readonly org: OrgRepository,
    @Inject(DISPATCH_CONFIG) private readonly config: DispatchConfig,
    /** Absent (a test's module without the platform): every order reads the rules. */
    @Optional() private readonly listener?: PgListener,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.listener) await this.byDistrict.start(this.listener);
  }

  async route(input: RouteQuery): Promise<RouteMatch | null> {
    return bestRoute((await this.byDistrict.get()).get(input.districtCode) ?? [], input);
  }

  list(user: Principal, q: ListRulesQuery): Promise<RouteRule[]> {
    return this.rules.list(districtScope(user), q.districtCode, q.includeInactive === 'true');
  }

  /** A new rule in one of the caller's districts, for a unit of that district or a city-level unit. */
  async create(user: Principal, dto: CreateRouteRuleDto): Promise<RouteRule> {
    const rule = await this.ruleFrom(user, dto);
    await this.rules.insert(rule);
    this.byDistrict.invalidate();
    return rule;
  }

  /**
   * An edit: the rule is retired and its revision added in one transaction, so an order's `ruleId`
   * keeps pointing at the rule as it was when it chose the order's unit.
   */
  async revise(user: Principal, id: string, dto: CreateRouteRuleDto): Promise<RouteRule> {
    const old = await this.rules.find(id);
    if (!old || !inDistrict(user, old.districtCode)) throw new NotFoundException(`no routing rule ${id}`);
    if (!old.active) throw new ConflictException(`routing rule ${id} is retired; add a new rule instead`);
    if (dto.districtCode !== old.districtCode) {
      throw new FieldValidationException([{ field: 'districtCode', reason: `a rule stays in its district ${old.districtCode}` }]);
    }
    const rule = await this.ruleFrom(user, dto);
    await this.rules.replace(old, rule);
    this.byDistrict.invalidate();
    return rule;
  }

  /**
   * 派单规则测试: which unit an order like this would go to now, by which rule — the same match
   * (`bestRoute`) that routes arriving orders, on the district's rules as stored now, without an order.
   */
  async test(user: Principal, dto: TestRouteDto): Promise<RouteTestView> {
    if (!inDistrict(user, dto.districtCode)) throw new ForbiddenException(`district ${dto.districtCode} is not one of yours`);
    if (dto.streetCode && !dto.streetCode.startsWith(dto.districtCode)) {
      throw new FieldValidationException([{ field: 'streetCode', reason: `streetCode must be a street of district ${dto.districtCode}` }]);
    }
    const flags = dto.flags ?? [];
    const match = bestRoute(await this.rules.activeRules(dto.districtCode), {
      districtCode: dto.districtCode,
      categoryCode: dto.categoryCode,
      streetCode: dto.streetCode ?? null,
      requestType: dto.requestType,
      urgency: dto.urgency,
      flags,
    });
    // As WorkflowService.routeArrived: a flagged order waits for the district leader when its centre asks.
    const centre = flags.length ? await this.org.districtCentre(dto.districtCode) : null;
    return { rule: match?.rule ?? null, unit: match?.unit ?? null, heldForLeader: Boolean(centre?.dualSignoffRequired) };
  }

  private async ruleFrom(user: Principal, dto: CreateRouteRuleDto): Promise<RouteRule> {
    if (!inDistrict(user, dto.districtCode)) throw new ForbiddenException(`district ${dto.districtCode} is not one of yours`);
    assertServed(this.config, dto.districtCode);
    const unit = await this.org.find(dto.unitId);
    if (!unit || !unit.active || (unit.districtCode !== dto.districtCode && unit.districtCode !== this.config.CITY_CODE)) {
      throw new FieldValidationException([
        { field: 'unitId', reason: `unitId must be an active unit of district ${dto.districtCode} or the city` },
      ]);
    }
    if (dto.streetCode && !dto.streetCode.startsWith(dto.districtCode)) {
      throw new FieldValidationException([{ field: 'streetCode', reason: `streetCode must be a street of district ${dto.districtCode}` }]);
    }
    return Object.assign(new RouteRule(), {
      id: randomUUID(),
      districtCode: dto.districtCode,
      categoryPrefix: dto.categoryPrefix ?? null,
      streetCode: dto.streetCode ?? null,
      requestType: dto.requestType ?? null,
      urgency: dto.urgency ?? null,
      flag: dto.flag ?? null,
      unitId: unit.id,
      priority: dto.priority,
      active: true,
      note: dto.note ?? null,
    });
  }

  /** Rules are retired, never deleted: an order's `ruleId` keeps pointing at what chose its unit. */
  async deactivate(user: Principal, id: string): Promise<RouteRule> {
    const rule = await this.rules.find(id);
    if (!rule || !inDistrict(user, rule.districtCode)) throw new NotFoundException(`no routing rule ${id}`);
    assertServed(this.config, rule.districtCode);
    rule.active = false;
    await this.rules.save(rule);
    this.byDistrict.invalidate();
    return rule;
  }
}
