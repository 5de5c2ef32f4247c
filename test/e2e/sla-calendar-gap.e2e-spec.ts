/**
 * A year without working-day data (chinese-days 1.5.7 has no 2027): on Monday 28 December 2026 a
 * lift complaint's five working days end in January 2027. Its clocks get a provisional deadline at
 * once (weekends only), marked provisional in sla's API and in sla.clocks-set.v1; other orders are
 * not held up and nothing is dead-lettered; the alarm is up (status endpoint, readiness, metrics).
 * Declaring 2027 with its New Year holiday recomputes the deadline, clears the mark, re-arms the
 * warning (which then fires at its new time) and clears the alarm. Then a clock broken by SQL (its
 * policy reference points nowhere) throws in the tick: it is recorded and backed off, and the other
 * due clocks fire.
 */
import { bootPlatform, eventually, Platform, submitTicket } from './platform';
import { waitFor } from '@app/platform/testing';

jest.setTimeout(180_000);

// Monday 28 December 2026, 10:00 in Xining: the last quarter, and 2027 has no calendar data.
const T0 = new Date('2026-12-28T10:00:00+08:00');
const L = (local: string) => new Date(`${local}+08:00`).toISOString();

let p: Platform;
beforeAll(async () => {
  p = await bootPlatform({ start: T0, allOnManualClock: true });
});
afterAll(async () => {
  await p?.close();
});

interface ClockRow {
  id: string;
  kind: string;
  dueAt: string;
  warnedAt: string | null;
  breachedAt: string | null;
  stoppedAt: string | null;
  nextFireAt: string | null;
  fired: string[];
  provisional: boolean;
  provisionalYears: number[];
  failCount: number;
  lastError: string | null;
  failedAt: string | null;
  upcoming: { key: string; at: string }[];
}
interface Status {
  alarm: boolean;
  years: { year: number; source: string | null }[];
  missingYears: { year: number; reasons: string[]; provisionalClocks: number }[];
  provisionalClocks: number;
  failingClocks: number;
  pendingRecomputes: number;
}
interface Ready {
  status: string;
  checks: Record<string, { status: string; detail?: string }>;
}

const sla = () => p.as('supervisor', 'sla');
const clocks = (id: string) => sla().get(`/clocks?ticketId=${id}`);
const finishOf = async (id: string) => ((await clocks(id).expect(200)).body as ClockRow[]).find((c) => c.kind === 'finish')!;
const order = (id: string) => p.as('dispatcher', 'dispatch').get(`/orders/${id}`);
const status = async () => (await p.as('admin', 'sla').get('/calendar/status').expect(200)).body as Status;
const ready = async () => (await p.http('sla').get('/health/ready').expect(200)).body as Ready;
const metrics = async () => (await p.http('sla').get('/metrics').expect(200)).text;
const tick = async (local: string) => {
  p.slaClock.set(new Date(`${local}+08:00`));
  return (await p.as('admin', 'sla').post('/admin/tick').expect(200)).body as { warnings: number; breaches: number; failed?: number };
};

/** The sla.clocks-set.v1 payloads sla published for an order, oldest first. */
async function clocksSet(ticketId: string): Promise<{ finishDueAt: string; provisional?: boolean }[]> {
  const r = await p.db.query<{ data: { finishDueAt: string; provisional?: boolean } }>(
    `SELECT envelope->'data' AS data FROM sla.outbox WHERE envelope->>'ticketId' = $1 AND type = 'sla.clocks-set.v1' ORDER BY seq`,
    [ticketId],
  );
  return r.rows.map((x) => x.data);
}

describe('a time limit that reaches the undeclared year 2027', () => {
  let a: string;
  const others: string[] = [];

  it('raises the alarm in the last quarter before any clock needs the year, without making sla unready', async () => {
    const s = await status();
    expect(s.alarm).toBe(true);
    expect(s.missingYears).toEqual([{ year: 2027, reasons: ['next_year'], provisionalClocks: 0 }]);
    expect(s.years).toEqual(
      expect.arrayContaining([
        { year: 2026, source: 'library' },
        { year: 2027, source: null },
      ]),
    );
    const r = await ready();
    expect(r.checks.calendar.status).toBe('degraded');
    expect(r.checks.calendar.detail).toContain('2027');
    expect(r.checks.database.status).toBe('up');
    expect(await metrics()).toMatch(/^jiesu_sla_calendar_year_missing\{year="2027"\} 1$/m);
    await p.as('dispatcher', 'sla').get('/calendar/status').expect(200);
    await p.as('handlerMarket', 'sla').get('/calendar/status').expect(403);
  });

  it('gives a dispatch into 2027 a provisional deadline at once, marked on the clock and in clocks-set', async () => {
    const t0 = Date.now();
    a = (await submitTicket(p, { content: '电梯突然下坠又上升，十分危险' })).id;
    const cs = await eventually<ClockRow[]>(
      () => clocks(a),
      (x) => x.length === 2,
      'the clocks of A',
      10_000,
    );
    expect(Date.now() - t0).toBeLessThan(10_000);
    const finish = cs.find((c) => c.kind === 'finish')!;
    // 29, 30, 31 December, Friday 1 January 2027 (a weekday on the provisional calendar), Monday 4 January.
    expect(finish.dueAt).toBe(L('2027-01-04T10:00:00'));
    expect(finish.provisional).toBe(true);
    expect(finish.provisionalYears).toEqual([2027]);
    // 75 % of the 7 calendar days to the due time.
    expect(finish.upcoming[0]).toEqual({ key: 'warn:elapsed_75pct', at: L('2027-01-02T16:00:00') });
    const o = await eventually<{ finishDueAt: string | null }>(
      () => order(a),
      (x) => !!x.finishDueAt,
      'the due time in dispatch',
    );
    expect(o.finishDueAt).toBe(finish.dueAt);
    expect(await clocksSet(a)).toEqual([expect.objectContaining({ finishDueAt: finish.dueAt, provisional: true })]);
  });

  it('does not hold up other orders: each gets its clocks promptly and sla dead-letters nothing', async () => {
    const t0 = Date.now();
    for (const content of ['电梯按钮失灵', '电梯门夹人', '电梯异响']) others.push((await submitTicket(p, { content })).id);
    for (const id of others) {
      await eventually<{ finishDueAt: string | null }>(
        () => order(id),
        (x) => !!x.finishDueAt,
        `clocks-set for ${id}`,
        10_000,
      );
    }
    expect(Date.now() - t0).toBeLessThan(15_000);
    const dead = await p.db.query<{ n: string }>('SELECT count(*) AS n FROM sla.dead_letter');
    expect(Number(dead.rows[0].n)).toBe(0);
    const s = await status();
    expect(s.missingYears).toEqual([{ year: 2027, reasons: ['next_year', 'running_clocks'], provisionalClocks: 8 }]);
    expect(s.provisionalClocks).toBe(8);
    // The gauges share one database read per scrape for 500 ms (scrapeSnapshot): a scrape this soon after the
    // first test's may still show that one's; the next shows the eight.
    await waitFor(
      () => metrics(),
      (text) => /^jiesu_sla_provisional_clocks 8$/m.test(text),
      { timeoutMs: 5_000, what: 'the provisional clocks on /metrics' },
    );
  });

  it('fires the provisional warning at its provisional time', async () => {
    await p.as('handlerMarket', 'dispatch').post(`/orders/${a}/sign`).expect(200);
    await p.as('handlerMarket', 'dispatch').post(`/orders/${a}/contact`, { method: 'phone', note: '已电话联系诉求人' }).expect(200);
    await eventually<ClockRow[]>(
      () => clocks(a),
      (cs) => cs.some((c) => c.kind === 'respond' && c.stoppedAt !== null),
      'the respond clock stopped',
    );
    await tick('2027-01-02T16:30:00');
    const finish = await finishOf(a);
    expect(finish.fired).toEqual(['warn:elapsed_75pct']);
    expect(finish.warnedAt).not.toBeNull();
  });

  it('declaring 2027 recomputes the deadline, clears the mark, re-arms the warning and is announced', async () => {
    const declared = await p
      .as('admin', 'sla')
      .post('/calendar/years', {
        year: 2027,
        source: '国务院办公厅关于2027年部分节假日安排的通知',
        days: [
          { day: '2027-01-01', working: false, note: '元旦' },
          { day: '2026-12-31', working: false },
        ],
      })
      .expect(400);
    expect((declared.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['days.1.day']);

    const res = await p
      .as('admin', 'sla')
      .post('/calendar/years', {
        year: 2027,
        source: '国务院办公厅关于2027年部分节假日安排的通知',
        days: [{ day: '2027-01-01', working: false, note: '元旦' }],
      })
      .expect(200);
    expect(res.body).toMatchObject({ year: 2027, days: 1 });
    // The seven running provisional clocks (A's respond clock has stopped), by the year and again by the day.
    expect((res.body as { clocksRecomputed: number }).clocksRecomputed).toBeGreaterThanOrEqual(7);
    expect((res.body as { clocksMoved: number }).clocksMoved).toBeGreaterThanOrEqual(4);

    const finish = await finishOf(a);
    // New Year's Day off: 29, 30, 31 December, Monday 4 and Tuesday 5 January.
    expect(finish.dueAt).toBe(L('2027-01-05T10:00:00'));
    expect(finish.provisional).toBe(false);
    expect(finish.provisionalYears).toEqual([]);
    // The warning fired on the old due time; its new time (75 % of 8 days: 3 January 10:00) is still ahead: re-armed.
    expect(finish.fired).toEqual([]);
    expect(finish.warnedAt).toBeNull();
    expect(finish.nextFireAt).toBe(L('2027-01-03T10:00:00'));
    const sets = await clocksSet(a);
    expect(sets[sets.length - 1]).toEqual(expect.objectContaining({ finishDueAt: L('2027-01-05T10:00:00') }));
    expect(sets[sets.length - 1].provisional).toBeUndefined();
    await eventually<{ finishDueAt: string | null }>(
      () => order(a),
      (x) => x.finishDueAt === L('2027-01-05T10:00:00'),
      'the recomputed due time in dispatch',
    );
  });

  it('clears the alarm: status, readiness and metrics', async () => {
    const s = await status();
    expect(s).toMatchObject({ alarm: false, missingYears: [], provisionalClocks: 0, failingClocks: 0, pendingRecomputes: 0 });
    expect(s.years).toEqual(expect.arrayContaining([{ year: 2027, source: 'database' }]));
    const r = await ready();
    expect(r.status).toBe('up');
    expect(r.checks.calendar.status).toBe('up');
    // One database read serves every scrape for 500 ms (scrapeSnapshot): wait for one taken after the declaration.
    const m = await waitFor(
      () => metrics(),
      (text) => /^jiesu_sla_provisional_clocks 0$/m.test(text),
      { timeoutMs: 5_000, what: 'the provisional clocks cleared on /metrics' },
    );
    expect(m).toMatch(/^jiesu_sla_calendar_year_missing\{year="2027"\} 0$/m);
  });

  it('fires the re-armed warning at its new time, not before', async () => {
    await tick('2027-01-03T09:59:00');
    expect((await finishOf(a)).fired).toEqual([]);
    await tick('2027-01-03T10:00:00');
    expect((await finishOf(a)).fired).toEqual(['warn:elapsed_75pct']);
  });

  it('a clock that throws is set aside and recorded; the tick fires the other due clocks', async () => {
    const [broken, ...rest] = others;
    // Its policy reference points nowhere, and it is the first the tick claims.
    await p.db.query(
      `UPDATE sla.sla_clock SET policy_id = '00000000-0000-4000-8000-00000000dead', next_fire_at = $2
        WHERE ticket_id = $1 AND kind = 'finish'`,
      [broken, L('2027-01-03T00:00:00')],
    );
    // Tuesday 5 January 10:00: every finish clock (dispatched together) is due for its breach.
    const fired = await tick('2027-01-05T10:00:00');
    expect(fired.failed).toBe(1);
    expect(fired.breaches).toBe(1 + rest.length); // A and the two others
    for (const id of [a, ...rest]) expect((await finishOf(id)).breachedAt).not.toBeNull();
    const b = await finishOf(broken);
    expect(b.breachedAt).toBeNull();
    expect(b.failCount).toBe(1);
    expect(b.lastError).toContain('tick: policy 00000000-0000-4000-8000-00000000dead');
    expect(b.failedAt).toBe(L('2027-01-05T10:00:00'));
    expect(b.nextFireAt).toBe(L('2027-01-05T10:01:00')); // backed off: not first in line at every tick
    expect(await tick('2027-01-05T10:00:30')).toEqual({ warnings: 0, breaches: 0 });

    const again = await tick('2027-01-05T10:01:00');
    expect(again.failed).toBe(1);
    expect((await finishOf(broken)).nextFireAt).toBe(L('2027-01-05T10:03:00')); // 2 minutes the second time

    const s = await status();
    expect(s).toMatchObject({ alarm: true, failingClocks: 1, missingYears: [] });
    expect((await ready()).checks.clocks.status).toBe('degraded');
    // The gauges share one database read per scrape, kept for half a second: a scrape may see the last one's.
    const m = await waitFor(metrics, (text) => /^jiesu_sla_failing_clocks 1$/m.test(text), {
      timeoutMs: 5_000,
      what: 'the failing clock on /metrics',
    });
    expect(m).toMatch(/^jiesu_sla_clock_failures_total\{stage="tick"\} 2$/m);
    expect(m).toMatch(/^jiesu_sla_failing_clocks 1$/m);
  });
});

describe('a calendar recompute interrupted by a crash', () => {
  it('is finished by the next tick, visiting only the clocks whose window reaches the edited day', async () => {
    const other = (
      await p.db.query<{ ticket_id: string }>(`SELECT ticket_id FROM sla.sla_clock WHERE kind = 'respond' AND stopped_at IS NULL LIMIT 1`)
    ).rows[0].ticket_id;
    const respond = async () => ((await clocks(other).expect(200)).body as ClockRow[]).find((c) => c.kind === 'respond')!;
    // 5 working days after the response was due (29 December): 30, 31 December, 4, 5, 6 January.
    expect((await respond()).upcoming).toEqual([{ key: 'escalate:3', at: L('2027-01-06T10:00:00') }]);
    // What an edit of 6 January commits before it recomputes anything, then the process dies.
    await p.db.query(`INSERT INTO sla.calendar_day (day, working, note) VALUES ('2027-01-06', false, '地方节日')`);
    await p.db.query(`INSERT INTO sla.calendar_recompute (id, scope, from_at, to_at) VALUES (gen_random_uuid(), 'days', $1, $2)`, [
      L('2027-01-06T00:00:00'),
      L('2027-01-07T00:00:00'),
    ]);
    expect((await status()).pendingRecomputes).toBe(1);
    await tick('2027-01-05T10:02:00');
    const job = await p.db.query<{ finished_at: Date | null; visited: number }>(
      'SELECT finished_at, visited FROM sla.calendar_recompute WHERE scope = $1',
      ['days'],
    );
    const last = job.rows[job.rows.length - 1];
    expect(last.finished_at).not.toBeNull();
    // Exactly the running clocks whose window [started_at, window_end] reaches 6 January (the bench
    // shows the difference at scale: an edit next year visits only the clocks that reach it).
    const reach = await p.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM sla.sla_clock WHERE stopped_at IS NULL AND window_end >= $1 AND started_at < $2`,
      [L('2027-01-06T00:00:00'), L('2027-01-07T00:00:00')],
    );
    expect(last.visited).toBe(Number(reach.rows[0].n));
    expect((await respond()).upcoming).toEqual([{ key: 'escalate:3', at: L('2027-01-07T10:00:00') }]);
    expect((await status()).pendingRecomputes).toBe(0);
  });
});

describe('bad input on the calendar and policy APIs answers 400 naming the field', () => {
  it('refuses an impossible day to delete', async () => {
    const res = await p.as('admin', 'sla').delete('/calendar/days/2027-02-30').expect(400);
    expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('day');
  });

  it('refuses a policy without its respond or finish limit', async () => {
    const base = { name: '缺少时限', finish: { value: 5, unit: 'working_days' }, respond: { value: 24, unit: 'hours' } };
    for (const missing of ['respond', 'finish'] as const) {
      const body: Record<string, unknown> = { ...base };
      delete body[missing];
      const res = await p.as('admin', 'sla').post('/policies', body).expect(400);
      expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(missing);
    }
  });
});
