import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { HttpSmsGateway, SmsSendError } from './sms.gateway';

/** The HTTP adapter against a tiny gateway on 127.0.0.1 (no outside network). */
describe('HttpSmsGateway', () => {
  let server: Server;
  let url: string;
  let behaviour: 'ok' | 'fail' | 'hang' = 'ok';
  const received: { headers: IncomingMessage['headers']; body: unknown }[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(raw) });
        if (behaviour === 'hang') return; // never answers
        res.writeHead(behaviour === 'ok' ? 200 : 503, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  beforeEach(() => {
    received.length = 0;
    behaviour = 'ok';
  });

  it('posts the message as JSON with the bearer token', async () => {
    await new HttpSmsGateway(url, 2000, 'gw-secret').send({ to: '13997001111', text: '请评价 https://x/s/t', reference: 'link-1' });
    expect(received).toEqual([
      {
        headers: expect.objectContaining({ 'content-type': 'application/json', authorization: 'Bearer gw-secret' }),
        body: { to: '13997001111', text: '请评价 https://x/s/t', reference: 'link-1' },
      },
    ]);
  });

  it('fails on a non-2xx answer', async () => {
    behaviour = 'fail';
    await expect(new HttpSmsGateway(url, 2000).send({ to: '1', text: 't', reference: 'r' })).rejects.toThrow('sms gateway answered 503');
  });

  it('gives up after the timeout', async () => {
    behaviour = 'hang';
    const started = Date.now();
    await expect(new HttpSmsGateway(url, 300).send({ to: '1', text: 't', reference: 'r' })).rejects.toThrow(SmsSendError);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('fails when nothing listens', async () => {
    await expect(new HttpSmsGateway('http://127.0.0.1:9/sms', 1000).send({ to: '1', text: 't', reference: 'r' })).rejects.toThrow(
      'sms gateway unreachable',
    );
  });
});
