import { FactRow, mergeFact, moveFact } from './fact-merge';

/** The merge rules as the per-event upserts applied them (SQL's null semantics), now in memory only. */
const row = (o: Record<string, unknown> = {}): FactRow => ({ ticket_id: 't1', district_code: '630104', ...o });
const d = (iso: string) => new Date(iso);

describe('mergeFact', () => {
  it('first: the stored value stays; a null stored value takes the new one', () => {
    expect(mergeFact(row({ channel: 'phone' }), { channel: ['web', 'first'] }).channel).toBe('phone');
    expect(mergeFact(row({ channel: null }), { channel: ['web', 'first'] }).channel).toBe('web');
  });

  it('first_here: only a code inside the order’s district fills a null', () => {
    expect(mergeFact(row({ street_code: null }), { street_code: ['630102001', 'first_here'] }).street_code).toBeNull();
    expect(mergeFact(row({ street_code: null }), { street_code: ['630104001', 'first_here'] }).street_code).toBe('630104001');
    expect(mergeFact(row({ street_code: '630104002' }), { street_code: ['630104001', 'first_here'] }).street_code).toBe('630104002');
  });

  it('earliest and latest ignore nulls, as LEAST and GREATEST; event timestamps become Dates', () => {
    const r = row({ accepted_at: d('2026-03-02T10:00:00Z'), closed_at: null });
    expect(mergeFact(r, { accepted_at: ['2026-03-02T09:00:00.000Z', 'earliest'] }).accepted_at).toEqual(d('2026-03-02T09:00:00Z'));
    expect(mergeFact(r, { accepted_at: ['2026-03-02T11:00:00.000Z', 'earliest'] }).accepted_at).toEqual(d('2026-03-02T10:00:00Z'));
    expect(mergeFact(r, { accepted_at: [null, 'earliest'] }).accepted_at).toEqual(d('2026-03-02T10:00:00Z'));
    expect(mergeFact(r, { closed_at: ['2026-03-05T08:00:00.000Z', 'latest'] }).closed_at).toEqual(d('2026-03-05T08:00:00Z'));
    expect(mergeFact(row({ reopen_count: 2 }), { reopen_count: [1, 'greatest'] }).reopen_count).toBe(2);
  });

  it('add sums (a null on either side gives null); or is SQL’s OR', () => {
    expect(mergeFact(row({ merged_count: 2 }), { merged_count: [1, 'add'] }).merged_count).toBe(3);
    expect(mergeFact(row({ merged_count: null }), { merged_count: [1, 'add'] }).merged_count).toBeNull();
    expect(mergeFact(row({ respond_breached: false }), { respond_breached: [true, 'or'] }).respond_breached).toBe(true);
    expect(mergeFact(row({ respond_breached: null }), { respond_breached: [false, 'or'] }).respond_breached).toBeNull();
    expect(mergeFact(row({ respond_breached: null }), { respond_breached: [true, 'or'] }).respond_breached).toBe(true);
  });

  it('{ by }: the new value when its ordering columns are not older, compared as a row; a null decides for the new', () => {
    const stored = row({ finish_due_at: d('2026-03-09T10:00:00Z'), finish_due_cycle: 2, finish_due_set_at: d('2026-03-03T00:00:00Z') });
    const by = { by: ['finish_due_cycle', 'finish_due_set_at'] };
    const older = mergeFact(stored, {
      finish_due_at: ['2026-03-20T10:00:00.000Z', by],
      finish_due_cycle: [1, 'greatest'],
      finish_due_set_at: ['2026-03-04T00:00:00.000Z', 'latest'],
    });
    expect(older.finish_due_at).toEqual(d('2026-03-09T10:00:00Z'));
    const newer = mergeFact(stored, {
      finish_due_at: ['2026-03-12T10:00:00.000Z', by],
      finish_due_cycle: [2, 'greatest'],
      finish_due_set_at: ['2026-03-04T00:00:00.000Z', 'latest'],
    });
    expect(newer.finish_due_at).toEqual(d('2026-03-12T10:00:00Z'));
    expect(mergeFact(row({ finish_due_cycle: null }), { finish_due_at: ['2026-03-12T10:00:00.000Z', by] }).finish_due_at).toEqual(
      d('2026-03-12T10:00:00Z'),
    );
  });

  it('reads every column from the row before the merge and leaves it untouched unless asked to merge into it', () => {
    const before = row({ merged_count: 1 });
    const after = mergeFact(before, { merged_count: [1, 'add'] });
    expect(before.merged_count).toBe(1);
    expect(mergeFact(after, { merged_count: [1, 'add'] }, after)).toBe(after);
    expect(after.merged_count).toBe(3);
  });
});

describe('moveFact', () => {
  const at = '2026-03-04T08:00:00.000Z';
  it('moves to the new district; keeps a street or community only when it lies there', () => {
    const r = row({ street_code: '630104001', community_code: '630104001002', district_moved_at: null });
    expect(moveFact(r, '630102', null, at)).toMatchObject({
      district_code: '630102',
      street_code: null,
      community_code: null,
      district_moved_at: d(at),
    });
    expect(moveFact(r, '630102', '630102003', at)).toMatchObject({ street_code: '630102003', community_code: null });
    expect(moveFact(row({ street_code: '630102003', community_code: '630102003001' }), '630102', null, at)).toMatchObject({
      street_code: '630102003',
      community_code: '630102003001',
    });
  });

  it('an older move than the one recorded changes nothing (null)', () => {
    expect(moveFact(row({ district_moved_at: d('2026-03-05T00:00:00Z') }), '630102', null, at)).toBeNull();
  });
});
