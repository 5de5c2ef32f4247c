import { applyDispatch, ClockHolder, CycleDispatch } from './reassign';

const at = (local: string) => new Date(`2026-03-${local}+08:00`);
const A = 'unit-a';
const B = 'unit-b';
const C = 'unit-c';

/** A clock started by the dispatch `first` (as onDispatched creates it). */
const startedBy = (first: CycleDispatch, stoppedAt: Date | null = null): ClockHolder => ({
  unitId: first.unitId,
  unitAssignedAt: first.at,
  startedAt: first.at,
  stoppedAt,
});

/** Apply the dispatches in this order to a clock started by the first of them; stop it at `stop` (if any). */
function fold(order: CycleDispatch[], stop: Date | null = null): ClockHolder {
  let c = startedBy(order[0], stop);
  for (const d of order.slice(1)) c = { ...c, ...(applyDispatch(c, d) ?? {}) };
  return c;
}

/** Copies with fresh Date objects: a clock read from its row, a dispatch parsed from its event. */
const fromRow = (c: ClockHolder): ClockHolder => ({
  ...c,
  unitAssignedAt: new Date(c.unitAssignedAt),
  startedAt: new Date(c.startedAt),
  stoppedAt: c.stoppedAt && new Date(c.stoppedAt),
});
const fromEvent = (d: CycleDispatch): CycleDispatch => ({ ...d, at: new Date(d.at.toISOString()) });

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

describe('a re-dispatch hands the cycle’s clock to the unit that holds the order', () => {
  const first = { unitId: A, at: at('09T10:00:00') };
  const second = { unitId: B, at: at('09T11:00:00') };
  const third = { unitId: C, at: at('10T09:00:00') };

  it('moves a running clock to the new unit, keeping its start (the time limit is not restarted)', () => {
    expect(applyDispatch(startedBy(first), second)).toEqual({ unitId: B, unitAssignedAt: second.at, startedAt: first.at });
  });

  it('changes nothing for the same dispatch again or an older one arriving late', () => {
    const moved = fold([first, second]);
    expect(applyDispatch(moved, second)).toBeNull();
    expect(applyDispatch(moved, first)).toBeNull();
    // As the service sees them: the clock's instants read from its row, the dispatch's from the event.
    expect(applyDispatch(fromRow(moved), fromEvent(second))).toBeNull();
    expect(applyDispatch(fromRow(moved), fromEvent(first))).toBeNull();
  });

  it('keeps the unit that stopped the clock before the re-dispatch (A contacted the citizen, then 转办)', () => {
    const respond = startedBy(first, at('09T10:30:00'));
    expect(applyDispatch(respond, second)).toBeNull();
  });

  it('hands over a clock stopped after the re-dispatch when the re-dispatch arrives late (B replied first)', () => {
    const finish = startedBy(first, at('12T16:00:00'));
    expect(applyDispatch(finish, second)).toEqual({ unitId: B, unitAssignedAt: second.at, startedAt: first.at });
  });

  it('moves the start back when the first dispatch arrives after a re-dispatch started the clock', () => {
    const early = startedBy(second);
    expect(applyDispatch(early, first)).toEqual({ unitId: B, unitAssignedAt: second.at, startedAt: first.at });
  });

  it('ends with the latest unit and the first start in every arrival order', () => {
    for (const order of permutations([first, second, third])) {
      expect(fold(order)).toEqual({ unitId: C, unitAssignedAt: third.at, startedAt: first.at, stoppedAt: null });
    }
    // Stopped between the second and the third dispatch: the second's unit, whatever the order.
    const stop = at('09T12:00:00');
    for (const order of permutations([first, second, third])) {
      expect(fold(order, stop)).toMatchObject({ unitId: B, startedAt: first.at });
    }
  });

  it('lets the one applied last win between two dispatches at the same instant', () => {
    const tie = { unitId: C, at: second.at };
    expect(applyDispatch(fold([first, second]), tie)).toMatchObject({ unitId: C });
    expect(applyDispatch(fold([first, tie]), second)).toMatchObject({ unitId: B });
  });
});
