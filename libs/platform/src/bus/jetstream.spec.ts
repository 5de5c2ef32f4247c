import { natsConnectionOptions } from './jetstream';

describe('natsConnectionOptions', () => {
  it('lists every server, reconnects forever and builds no async stack per request', () => {
    const o = natsConnectionOptions({ NATS_URL: 'nats://a:4222,nats://b:4222' }, 'jiesu-intake');
    expect(o.servers).toEqual(['nats://a:4222', 'nats://b:4222']);
    expect(o.name).toBe('jiesu-intake');
    expect(o.maxReconnectAttempts).toBe(-1);
    expect(o.waitOnFirstConnect).toBe(true);
    expect(o.noAsyncTraces).toBe(true);
    expect(o.user).toBeUndefined();
    expect(o.inboxPrefix).toBeUndefined();
    expect(o.tls).toBeUndefined();
  });

  it("gives a service's user its own inbox prefix, and TLS with the configured CA", () => {
    const o = natsConnectionOptions(
      { NATS_URL: 'tls://nats:4222', NATS_USER: 'dispatch', NATS_PASSWORD: 's3cret', NATS_TLS_CA_FILE: '/etc/nats/ca.pem' },
      'jiesu-dispatch',
    );
    expect(o).toMatchObject({ user: 'dispatch', pass: 's3cret', inboxPrefix: '_INBOX_dispatch', tls: { caFile: '/etc/nats/ca.pem' } });
  });
});
