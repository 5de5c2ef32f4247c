import 'reflect-metadata';
import { EscalationTarget } from '@app/contracts';
import { CreatePolicyDto } from './policy.dto';
import { policyErrors } from './policies.service';

const base = (over: Partial<CreatePolicyDto> = {}): CreatePolicyDto =>
  Object.assign(new CreatePolicyDto(), {
    name: 'p',
    respond: { value: 24, unit: 'hours' },
    finish: { value: 5, unit: 'working_days' },
    ...over,
  });

describe('policy rules the DTO shape cannot state', () => {
  it('accepts the default shape', () => expect(policyErrors(base())).toEqual([]));

  it.each([
    ['an absurd working-day limit', base({ finish: { value: 400, unit: 'working_days' } }), 'finish.value'],
    ['a respond limit longer than the finish limit', base({ respond: { value: 200, unit: 'hours' } }), 'respond'],
    ['an unknown category', base({ categoryPrefix: 'dragons' }), 'categoryPrefix'],
    ['a days-before warning as long as the limit', base({ warnWorkingDaysBefore: 5 }), 'warnWorkingDaysBefore'],
    [
      'a ladder that goes down',
      base({
        escalation: [
          { target: EscalationTarget.City, afterWorkingDays: 0 },
          { target: EscalationTarget.Unit, afterWorkingDays: 1 },
        ],
      }),
      'escalation.1',
    ],
    [
      'auto-approval above the maximum',
      base({ autoApproveExtensionWorkingDays: 12, maxExtensionWorkingDays: 10 }),
      'autoApproveExtensionWorkingDays',
    ],
  ])('refuses %s', (_why, dto, field) => {
    expect(policyErrors(dto).map((e) => e.field)).toContain(field);
  });

  it('knows sub-categories of a known root', () => expect(policyErrors(base({ categoryPrefix: 'lift.trapped' }))).toEqual([]));

  // Roots intake classifies orders into (its taxonomy seed) that a policy must be able to name.
  it.each(['traffic', 'housing', 'fire_safety', 'animal', 'other'])('knows the root %s', (root) =>
    expect(policyErrors(base({ categoryPrefix: root }))).toEqual([]),
  );
});
