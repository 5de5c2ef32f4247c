import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { HttpSmsGateway, SmsMessage, SmsSendError } from './sms.gateway';

/** The HTTP adapter against a tiny gateway on 127.0.0.1 (no outside network). */
describe('HttpSmsGateway', () => {
  let server: Server;
  let url: string;
  let behaviour: 'ok' | 'fail' | 'hang' | 'refuse' | 'bad-number' = 'ok';
  const received: { headers: IncomingMessage['headers']; body: unknown }[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(raw) });
        if (behaviour === 'hang') return; // never answers
        if (behaviour === 'bad-number')
          return res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":"isv.MOBILE_NUMBER_ILLEGAL"}');
        if (behaviour === 'refuse')
          return res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":"isv.TEMPLATE_MISSING"}');
        res.writeHead(behaviour === 'ok' ? 200 : 503, { 'content-type': 'application/json' }).end('{"code":"OK"}');
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

  const msg = (o: Partial<SmsMessage> = {}): SmsMessage => ({
    to: '13997001111',
    signature: '12345热线',
    templateId: 'SMS_1',
    params: { link: 'https://x/s/t' },
    text: '请评价 https://x/s/t',
    reference: 'link-1',
    ...o,
  });

  it('posts signature, template id, parameters and text as JSON with the bearer token', async () => {
    const receipt = await new HttpSmsGateway(url, 2000, 'gw-secret').send(msg());
    expect(receipt).toEqual({ status: 200, answer: '{"code":"OK"}' });
    expect(received).toEqual([
      {
        headers: expect.objectContaining({ 'content-type': 'application/json', authorization: 'Bearer gw-secret' }),
        body: {
          to: '13997001111',
          signName: '12345热线',
          templateCode: 'SMS_1',
          templateParam: { link: 'https://x/s/t' },
          text: '请评价 https://x/s/t',
          reference: 'link-1',
        },
      },
    ]);
  });

  it('calls a 4xx (an invalid number) permanent and keeps the answer', async () => {
    behaviour = 'bad-number';
    await expect(new HttpSmsGateway(url, 2000).send(msg())).rejects.toMatchObject({
      permanent: true,
      answer: '{"code":"isv.MOBILE_NUMBER_ILLEGAL"}',
    });
  });

  it('calls a 200 with an error code a refusal', async () => {
    behaviour = 'refuse';
    await expect(new HttpSmsGateway(url, 2000).send(msg())).rejects.toMatchObject({ permanent: true });
  });

  it('fails on a non-2xx answer', async () => {
    behaviour = 'fail';
    await expect(new HttpSmsGateway(url, 2000).send(msg())).rejects.toMatchObject({
      message: 'sms gateway answered 503',
      permanent: false,
    });
  });

  it('gives up after the timeout', async () => {
    behaviour = 'hang';
    const started = Date.now();
    await expect(new HttpSmsGateway(url, 300).send(msg())).rejects.toThrow(SmsSendError);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('fails when nothing listens', async () => {
    await expect(new HttpSmsGateway('http://127.0.0.1:9/sms', 1000).send(msg())).rejects.toThrow('sms gateway unreachable');
  });
});
