/**
 * 未诉先办 across services: a hotspot a supervisor confirmed (analytics publishes
 * `hotspot.proposed.v1`) becomes a proactive order in intake — no citizen, routed by dispatch like
 * any other — exactly once, however often the event arrives.
 */
import { HotspotProposedV1 } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { waitFor } from '@app/platform/testing';
import { bootPlatform, eventually, Platform, publishRaw } from './platform';

jest.setTimeout(120_000);

let p: Platform;

beforeAll(async () => {
  p = await bootPlatform();
});

afterAll(async () => {
  await p?.close();
});

interface Ticket {
  id: string;
  channel: string;
  content: string;
  proactive: boolean;
  citizen: unknown;
  categoryCode: string;
}

async function publish(data: HotspotProposedV1): Promise<void> {
  await publishRaw(p.env, { type: 'hotspot.proposed.v1', district: '630104', ticketId: null, producer: 'analytics', data });
}

describe('a confirmed hotspot becomes a proactive order', () => {
  const hotspotId = randomUUID();
  const now = Date.now();
  const hotspot: HotspotProposedV1 = {
    hotspotId,
    categoryCode: 'street_vendor',
    streetCode: '630104004',
    area: { lat: 36.6171, lng: 101.7479, radiusM: 300 },
    ticketCount: 12,
    windowStart: new Date(now - 14 * 86_400_000).toISOString(),
    windowEnd: new Date(now).toISOString(),
    proposedAt: new Date(now).toISOString(),
  };
  const mine = (ts: Ticket[]) => ts.filter((t) => t.content.includes(hotspotId));
  const list = () => p.as('operator', 'intake').get('/tickets?districtCode=630104&limit=500');

  it('raises one proactive order with no citizen, and dispatch routes it to the street office', async () => {
    await publish(hotspot);
    const [t] = mine(await eventually<Ticket[]>(list, (ts) => mine(ts).length === 1, 'the proactive order in intake'));
    expect(t).toMatchObject({ channel: 'grid_worker', proactive: true, citizen: null, categoryCode: 'street_vendor' });
    expect(t.content).toContain('未诉先办');
    await eventually(
      () => p.as('dispatcher', 'dispatch').get(`/orders/${t.id}`),
      (o: { state?: string }) => o.state === 'dispatched',
      'the proactive order dispatched',
    );
  });

  it('does not raise a second order when the proposal arrives again', async () => {
    await publish(hotspot); // a new event id: the inbox lets it through, the idempotency key stops it
    // Wait until intake has applied both deliveries (its inbox has both event ids), then count.
    await waitFor(
      async () =>
        (await p.db.query<{ n: string }>(`SELECT count(*) AS n FROM intake.inbox WHERE consumer = 'intake__hotspot_proposed_v1'`)).rows[0]
          .n,
      (n) => n === '2',
      { what: 'both proposals applied by intake' },
    );
    const letters = (await p.as('admin', 'intake').get('/admin/dead-letters').expect(200)).body as unknown[];
    expect(letters).toEqual([]);
    expect(mine((await list().expect(200)).body as Ticket[])).toHaveLength(1);
  });
});
