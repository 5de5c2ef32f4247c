import 'reflect-metadata';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BUS_SERVICES, EVENT_CONSUMERS, EVENT_PRODUCER, EVENT_TYPES } from '@app/contracts';
import { natsAccountsConfig, natsUser } from './nats-permissions';

const ROOT = join(__dirname, '..', '..', '..', '..');
const O = { prefix: 'hotline', stream: 'HOTLINE', domain: 'city', districts: ['630104'] };

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.spec.ts') ? [p] : [];
  });
}

/** The event types a service's `@OnEvent(...)` declarations name, read from its sources. */
function declaredConsumers(service: string): string[] {
  const types = new Set<string>();
  for (const file of sources(join(ROOT, 'apps', service, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/@OnEvent\(([^)]*)\)/g)) {
      for (const t of m[1].matchAll(/'([a-z-]+\.[a-z.-]+\.v\d+)'/g)) types.add(t[1]);
    }
  }
  return [...types].sort();
}

describe('NATS permissions from the contracts', () => {
  it.each(BUS_SERVICES.filter((s) => EVENT_CONSUMERS[s] !== 'all'))("%s's consumers are the types its @OnEvent handlers name", (s) => {
    expect([...(EVENT_CONSUMERS[s] as string[])].sort()).toEqual(declaredConsumers(s));
  });

  it('every event type has its producer', () => {
    expect(Object.keys(EVENT_PRODUCER).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('a service publishes only its own events, and creates consumers only bound to what it consumes', () => {
    const u = natsUser('callback', O);
    const events = u.publish.filter((s) => s.startsWith('hotline.'));
    expect(events.sort()).toEqual([
      'hotline.*.callback.completed.v1',
      'hotline.*.callback.expiry-checked.v1',
      'hotline.*.callback.failed.v1',
      'hotline.*.callback.overdue.v1',
      'hotline.*.callback.spot-checked.v1',
    ]);
    const creates = u.publish.filter((s) => s.includes('.CONSUMER.CREATE.'));
    expect(creates).toContain('$JS.API.CONSUMER.CREATE.HOTLINE.callback__ticket_closed_v1.hotline.*.ticket.closed.v1');
    expect(creates.every((s) => /\.callback__[a-z_0-9-]+\.hotline\.\*\./.test(s))).toBe(true);
    expect(u.publish.some((s) => /STREAM\.(DELETE|PURGE|UPDATE)|MSG\.DELETE|DURABLE\.CREATE/.test(s))).toBe(false);
    expect(u.subscribe).toEqual(['_INBOX_callback.>']);
    expect(u.allowResponses).toBe(false);
  });

  it("a district node publishes under its own district only, hand-overs too, and reads its district's subjects and every hand-over", () => {
    const u = natsUser('dispatch', O, '630104');
    expect(u.user).toBe('dispatch-630104');
    const events = u.publish.filter((s) => s.startsWith('hotline.'));
    expect(events).toContain('hotline.630104.ticket.redistricted.v1');
    expect(events.filter((s) => !s.startsWith('hotline.630104.'))).toEqual([]);
    const creates = u.publish.filter((s) => s.includes('.CONSUMER.CREATE.'));
    expect(creates.length).toBeGreaterThan(0);
    expect(creates.every((s) => s.includes('.dispatch-630104__'))).toBe(true);
    // Hand-overs travel under the sender's district: the node reads them from every district (and keeps its own).
    expect(creates.filter((s) => !s.includes('.hotline.630104.'))).toEqual([
      '$JS.API.CONSUMER.CREATE.HOTLINE.dispatch-630104__ticket_redistricted_v1.hotline.*.ticket.redistricted.v1',
      '$JS.city.API.CONSUMER.CREATE.HOTLINE.dispatch-630104__ticket_redistricted_v1.hotline.*.ticket.redistricted.v1',
    ]);
    // Across the leaf link its JetStream API is the hub's domain.
    expect(u.publish).toContain('$JS.city.API.CONSUMER.MSG.NEXT.HOTLINE.dispatch-630104__ticket_accepted_v1');
    expect(u.subscribe).toEqual(['_INBOX_dispatch-630104.>']);
  });

  it('intake alone answers the contact query; dispatch and callback may ask it', () => {
    const q = 'hotline-q.intake.citizen-contact.reveal.v2';
    expect(natsUser('intake', O).subscribe).toContain(q);
    expect(natsUser('intake', O).allowResponses).toBe(true);
    for (const s of ['dispatch', 'callback'] as const) expect(natsUser(s, O).publish).toContain(q);
    for (const s of ['sla', 'analytics', 'console'] as const) {
      expect(natsUser(s, O).publish).not.toContain(q);
      expect(natsUser(s, O).subscribe).not.toContain(q);
    }
  });

  it('deploy/nats/accounts.conf is what the contracts give (npm run nats:config)', () => {
    expect(readFileSync(join(ROOT, 'deploy', 'nats', 'accounts.conf'), 'utf8')).toBe(natsAccountsConfig(O));
  });
});
