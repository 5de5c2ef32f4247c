import { SmsGateway, SmsSendError } from '@app/platform';
import { createHmac } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { EmailChannel, Outgoing, RobotChannel, SendError, SmsChannel } from './channels';
import { Robot } from './robot.entity';

describe('DingTalk signing', () => {
  it('signs timestamp + "\\n" + secret with HMAC-SHA256 and adds timestamp and sign to the URL', () => {
    const secret = 'SEC000000000000000000000000000000000000000000000000000000000000000';
    const ts = 1_700_000_000_000;
    const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
    const url = new URL(
      RobotChannel.signedUrl({ provider: 'dingtalk' }, 'https://oapi.dingtalk.com/robot/send?access_token=abc', secret, ts),
    );
    expect(url.searchParams.get('access_token')).toBe('abc');
    expect(url.searchParams.get('timestamp')).toBe(String(ts));
    expect(url.searchParams.get('sign')).toBe(expected);
    // URL-encoded on the wire (a base64 sign has + / =)
    expect(url.toString()).toContain(`sign=${encodeURIComponent(expected)}`);
  });

  it('leaves a WeCom URL (the key is in it) as it is', () => {
    const u = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6';
    expect(RobotChannel.signedUrl({ provider: 'wecom' }, u, null, 1)).toBe(u);
  });
});

describe('why a send failed (the reason the delivery log shows)', () => {
  const out: Outgoing = { title: 't', body: 'b', kind: 'dispatched', params: {}, reference: 'r' };
  const failing = (e: Error): SmsGateway => ({ send: () => Promise.reject(e) });
  const reasonOf = (p: Promise<unknown>) =>
    p.then(
      () => 'sent',
      (e: SendError) => [e.reason, e.permanent],
    );

  it('SMS: a refusal is a dead end; a 429 is a rate limit and a 5xx or timeout an outage, both retried; anything else unexpected', async () => {
    const sms = (e: Error) => reasonOf(new SmsChannel(failing(e), '西宁12345', 'default:T1').send('13900000000', out));
    expect(await sms(new SmsSendError('sms gateway answered 400', true, '{"code":"isv.MOBILE_NUMBER_ILLEGAL"}', 400))).toEqual([
      'provider_refused',
      true,
    ]);
    expect(await sms(new SmsSendError('sms gateway answered 429', false, '', 429))).toEqual(['rate_limited', false]);
    expect(await sms(new SmsSendError('sms gateway answered 503', false, '', 503))).toEqual(['provider_unavailable', false]);
    expect(await sms(new SmsSendError('sms gateway did not answer within 5000 ms'))).toEqual(['provider_unavailable', false]);
    expect(await sms(new TypeError('boom'))).toEqual(['unexpected', false]);
  });

  it('e-mail without an SMTP server is a channel not configured, a dead end', async () => {
    expect(await reasonOf(new EmailChannel(undefined, 'jiesu@example.org', 'http://console', 1000).send('a@example.org', out))).toEqual([
      'not_configured',
      true,
    ]);
  });

  describe('a group robot, against a webhook on loopback', () => {
    let server: Server;
    let url: string;
    let reply: { status: number; body: string };
    beforeAll(async () => {
      server = createServer((req, res) => {
        req.resume();
        req.on('end', () => res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body));
      });
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/robot/send?access_token=t`;
    });
    afterAll(() => new Promise((ok) => server.close(ok)));

    const robot = (status: number, body: string) => {
      reply = { status, body };
      return reasonOf(new RobotChannel(2000).send({ provider: 'dingtalk' } as Robot, url, null, out));
    };

    it('errcode 0 is sent; a rate-limit errcode is retried; another errcode, a 4xx or no errcode is refused; a 5xx is an outage', async () => {
      expect(await robot(200, '{"errcode":0,"errmsg":"ok"}')).toBe('sent');
      expect(await robot(200, '{"errcode":130101,"errmsg":"send too fast"}')).toEqual(['rate_limited', false]);
      expect(await robot(200, '{"errcode":45009,"errmsg":"api freq out of limit"}')).toEqual(['rate_limited', false]);
      expect(await robot(200, '{"errcode":310000,"errmsg":"sign not match"}')).toEqual(['provider_refused', true]);
      expect(await robot(404, 'no such robot')).toEqual(['provider_refused', true]);
      expect(await robot(200, 'ok')).toEqual(['provider_refused', true]);
      expect(await robot(429, '')).toEqual(['rate_limited', false]);
      expect(await robot(502, 'bad gateway')).toEqual(['provider_unavailable', false]);
    });

    it('an address nobody listens on is an outage, retried', async () => {
      const closed = createServer();
      await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((ok) => closed.close(ok));
      const e = await new RobotChannel(2000)
        .send({ provider: 'wecom' } as Robot, `http://127.0.0.1:${port}/`, null, out)
        .catch((x: SendError) => x);
      expect([(e as SendError).reason, (e as SendError).permanent]).toEqual(['provider_unavailable', false]);
    });
  });
});
