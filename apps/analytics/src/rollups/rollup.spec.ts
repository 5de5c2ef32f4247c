import {
  addCounts,
  CallbackForRollup,
  contributions,
  countsInOrder,
  emptyCounts,
  FactForRollup,
  hasNegativeCounts,
  isZeroCounts,
  keyString,
  MEASURES,
  parseKey,
  rollupDelta,
} from './rollup';

const ZONE = 'Asia/Shanghai';
const at = (s: string) => new Date(s);

function fact(over: Partial<FactForRollup> = {}): FactForRollup {
  return {
    district_code: '630104',
    street_code: '630104004',
    unit_id: 'u1',
    category_code: 'lift',
    channel: 'phone_12345',
    request_type: 'complaint',
    accepted_at: at('2026-03-01T23:30:00+08:00'),
    answered_at: null,
    not_accepted_at: null,
    not_accepted_reason: null,
    merged_count: 0,
    dispatched_at: at('2026-03-02T00:10:00+08:00'),
    contacted_at: at('2026-03-02T01:00:00+08:00'),
    respond_due_at: at('2026-03-02T02:10:00+08:00'),
    respond_breached: false,
    first_finish_due_at: at('2026-03-03T00:10:00+08:00'),
    first_replied_at: at('2026-03-02T12:00:00+08:00'),
    sent_back_count: 0,
    reopen_count: 1,
    closed_at: null,
    ...over,
  };
}

const cb: CallbackForRollup = {
  unit_id: 'u1',
  completed_at: at('2026-03-04T10:00:00+08:00'),
  failed: false,
  resolved: true,
  satisfaction: 'basically_satisfied',
};

describe('rollup contributions', () => {
  it('counts each measure on its own city day, in every dimension set', () => {
    const rows = contributions(fact(), [cb], ZONE);
    expect(rows.get('2026-03-01|630104|district|')).toMatchObject({ accepted: 1, dispatched: 0 });
    expect(rows.get('2026-03-02|630104|district|')).toMatchObject({
      dispatched: 1,
      responded_on_time: 1,
      replied: 1,
      replied_on_time: 1,
      reworked: 1,
    });
    expect(rows.get('2026-03-04|630104|unit|u1')).toMatchObject({ callbacks: 1, resolved: 1, basically_satisfied: 1, satisfied: 0 });
    expect(rows.get('2026-03-04|630104|unit_category|u1/lift')).toMatchObject({ callbacks: 1 });
    expect([...rows.keys()].filter((k) => k.startsWith('2026-03-01|'))).toHaveLength(7);
  });

  it('counts a contact not accepted (不予受理) on its day in every dimension set and by its reason, nothing else', () => {
    const refused = fact({
      unit_id: null,
      accepted_at: null,
      dispatched_at: null,
      contacted_at: null,
      respond_due_at: null,
      first_finish_due_at: null,
      first_replied_at: null,
      reopen_count: 0,
      not_accepted_at: at('2026-03-02T09:00:00+08:00'),
      not_accepted_reason: 'litigation',
    });
    const rows = contributions(refused, [], ZONE);
    expect([...rows.keys()].sort()).toEqual(
      [
        'district|',
        'street|630104004',
        'unit|',
        'category|lift',
        'channel|phone_12345',
        'request_type|complaint',
        'unit_category|/lift',
        'not_accepted_reason|litigation',
      ]
        .map((k) => `2026-03-02|630104|${k}`)
        .sort(),
    );
    for (const c of rows.values()) expect(c).toEqual({ ...emptyCounts(), not_accepted: 1 });
  });

  it('leaves every other order out of the reasons of refusal', () => {
    const rows = contributions(fact(), [cb], ZONE);
    expect([...rows.keys()].filter((k) => k.includes('|not_accepted_reason|'))).toEqual([]);
    expect([...rows.values()].every((c) => c.not_accepted === 0)).toBe(true);
  });

  it('does not count a contact after a respond breach as on time', () => {
    const rows = contributions(fact({ respond_breached: true }), [], ZONE);
    expect(rows.get('2026-03-02|630104|district|')).toMatchObject({ dispatched: 1, responded_on_time: 0 });
  });

  it('moves an order between keys when a late event fills a dimension in, and drops unchanged rows', () => {
    const before = contributions(fact({ category_code: null }), [], ZONE);
    const after = contributions(fact(), [], ZONE);
    const delta = rollupDelta(before, after);
    const keys = delta.map(([k]) => `${k.dimension}|${k.dimKey}`);
    expect(keys).toEqual(expect.arrayContaining(['category|lift', 'category|', 'unit_category|u1/lift', 'unit_category|u1/']));
    expect(keys).not.toContain('district|');
    expect(delta.find(([k]) => k.dimension === 'category' && k.dimKey === '' && k.day === '2026-03-01')![1].accepted).toBe(-1);
  });

  it('ends where it would have ended in any order of events', () => {
    const steps: Partial<FactForRollup>[] = [
      { contacted_at: null },
      { first_replied_at: null },
      { category_code: null, accepted_at: null },
    ];
    let total = new Map<string, number>();
    let prev = contributions(null, [], ZONE);
    for (const s of [...steps.reverse(), {}]) {
      const next = contributions(fact(s), [], ZONE);
      for (const [k, d] of rollupDelta(prev, next)) {
        const key = `${k.day}|${k.dimension}|${k.dimKey}`;
        total.set(key, (total.get(key) ?? 0) + d.accepted + d.dispatched + d.replied + d.responded_on_time);
      }
      prev = next;
    }
    total = new Map([...total].filter(([, v]) => v !== 0));
    const direct = new Map(
      [...contributions(fact(), [], ZONE)].map(([k, c]) => {
        const [day, , dim, key] = k.split('|');
        return [`${day}|${dim}|${key}`, c.accepted + c.dispatched + c.replied + c.responded_on_time];
      }),
    );
    expect(total).toEqual(direct);
  });
});

describe('emptyCounts', () => {
  it('has every measure at zero', () => {
    expect(Object.keys(emptyCounts())).toEqual([...MEASURES]);
    expect(Object.values(emptyCounts()).every((v) => v === 0)).toBe(true);
  });
});

describe('the written-out counter operations', () => {
  /** Counts with only `m` set to `n`. */
  const only = (m: (typeof MEASURES)[number], n: number) => ({ ...emptyCounts(), [m]: n });

  it.each(MEASURES.map((m) => [m]))('cover %s', (m) => {
    const into = only(m, 5);
    addCounts(into, only(m, 2), -1);
    expect(into).toEqual(only(m, 3));
    addCounts(into, only(m, 4), 1);
    expect(into).toEqual(only(m, 7));
    expect(isZeroCounts(only(m, 1))).toBe(false);
    expect(hasNegativeCounts(only(m, -1))).toBe(true);
    expect(hasNegativeCounts(only(m, 1))).toBe(false);
    expect(countsInOrder(only(m, 9))).toEqual(MEASURES.map((x) => (x === m ? 9 : 0)));
  });

  it('see all zero as zero and nothing below it', () => {
    expect(isZeroCounts(emptyCounts())).toBe(true);
    expect(hasNegativeCounts(emptyCounts())).toBe(false);
  });
});

describe('parseKey', () => {
  it('reads back keyString, a dimension key with | in it included', () => {
    for (const k of [
      { day: '2026-03-02', districtCode: '630104', dimension: 'unit_category' as const, dimKey: 'u1/lift' },
      { day: '2026-03-02', districtCode: '630104', dimension: 'district' as const, dimKey: '' },
      { day: '2026-03-02', districtCode: '630104', dimension: 'category' as const, dimKey: 'a|b||c' },
    ])
      expect(parseKey(keyString(k))).toEqual(k);
  });
});
