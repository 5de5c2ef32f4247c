import { SmsGateway, SmsSendError } from '@app/platform';
import { createHmac } from 'node:crypto';
import { createTransport, Transporter } from 'nodemailer';
import { Robot } from './robot.entity';

/**
 * Why a send failed, in words an administrator can act on; the console shows it in Chinese (or
 * English) above notify's own technical reading and the provider's answer.
 * - `provider_refused`: the provider refused this message (invalid number, template, webhook key,
 *   mailbox unknown): a dead end.
 * - `provider_unavailable`: the provider did not answer, or answered with a server error: retried.
 * - `rate_limited`: the provider asked to slow down (HTTP 429, a robot's per-minute limit): retried.
 * - `not_configured`: the channel has no provider in this deployment (no SMTP server).
 * - `no_contact`: the person's account has no mobile or e-mail.
 * - `recipient_inactive`: the person's account is disabled, or gone.
 * - `contact_unavailable`: the console could not be asked for the address in time: retried.
 * - `robot_inactive`: the group robot was deactivated or removed.
 * - `unexpected`: anything else (a bug, or a failure notify does not know): retried.
 */
export const SEND_FAILURE_REASONS = [
  'provider_refused',
  'provider_unavailable',
  'rate_limited',
  'not_configured',
  'no_contact',
  'recipient_inactive',
  'contact_unavailable',
  'robot_inactive',
  'unexpected',
] as const;
export type SendFailureReason = (typeof SEND_FAILURE_REASONS)[number];

/** A provider's HTTP refusal by its kind: a dead end is refused, a 429 asks to slow down, the rest is an outage. */
function httpFailureReason(permanent: boolean, status: number): SendFailureReason {
  return permanent ? 'provider_refused' : status === 429 ? 'rate_limited' : 'provider_unavailable';
}

/**
 * A send that failed. `permanent`: a dead end no retry can mend (the number is invalid, the robot's
 * webhook refused the call, no SMTP server); otherwise it is retried with back-off. `reason` is the
 * failure's kind for the delivery log; the message is notify's technical reading of it.
 */
export class SendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly reason: SendFailureReason,
    readonly answer = '',
  ) {
    super(message);
  }
}

export interface Outgoing {
  title: string;
  body: string;
  kind: string;
  params: Record<string, string>;
  reference: string;
}

/** What the provider answered on success, for the delivery log. */
export type ProviderAnswer = string;

/** SMS through the platform's SMS port, with the provider's signature and the template of the kind. */
export class SmsChannel {
  private readonly templates: Map<string, string>;

  constructor(
    private readonly gateway: SmsGateway,
    private readonly signature: string,
    templates: string,
  ) {
    this.templates = new Map(templates.split(',').map((p) => p.split(':') as [string, string]));
  }

  templateFor(kind: string): string {
    return this.templates.get(kind) ?? this.templates.get('default') ?? 'default';
  }

  async send(to: string, m: Outgoing): Promise<ProviderAnswer> {
    try {
      const r = await this.gateway.send({
        to,
        signature: this.signature,
        templateId: this.templateFor(m.kind),
        params: m.params,
        text: `【${this.signature}】${m.body}`,
        reference: m.reference,
      });
      return r.answer || `status ${r.status}`;
    } catch (e) {
      if (e instanceof SmsSendError) throw new SendError(e.message, e.permanent, httpFailureReason(e.permanent, e.status), e.answer);
      throw new SendError((e as Error).message, false, 'unexpected');
    }
  }
}

/** E-mail over SMTP (nodemailer). A 5xx reply (mailbox unknown, refused) is a dead end; 4xx and connection trouble are retried. */
export class EmailChannel {
  private readonly transport?: Transporter;

  constructor(
    smtpUrl: string | undefined,
    private readonly from: string,
    private readonly consoleUrl: string,
    timeoutMs: number,
  ) {
    if (smtpUrl) {
      this.transport = createTransport(smtpUrl, {
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      });
    }
  }

  async send(to: string, m: Outgoing): Promise<ProviderAnswer> {
    if (!this.transport) throw new SendError('no SMTP server configured (NOTIFY_SMTP_URL)', true, 'not_configured');
    try {
      const info = (await this.transport.sendMail({
        from: this.from,
        to,
        subject: m.title,
        text: `${m.body}\n\n${this.consoleUrl.replace(/\/$/, '')}/\n`,
        headers: { 'X-Jiesu-Reference': m.reference },
      })) as { response?: string };
      return info.response ?? 'accepted';
    } catch (e) {
      const err = e as Error & { responseCode?: number; response?: string };
      const code = err.responseCode ?? 0;
      const permanent = code >= 500;
      throw new SendError(`smtp: ${err.message}`, permanent, httpFailureReason(permanent, 0), err.response ?? '');
    }
  }

  close(): void {
    this.transport?.close();
  }
}

/**
 * Group robots (群机器人) of WeCom (企业微信) and DingTalk (钉钉): a text message POSTed to the robot's
 * webhook. WeCom's URL carries the robot's key. DingTalk's "加签" security setting signs each call:
 * `sign = base64(HMAC-SHA256(secret, timestamp + "\n" + secret))`, URL-encoded, with the timestamp in
 * milliseconds added to the URL; DingTalk refuses a timestamp more than an hour off, so it is the
 * real time (not the injectable clock). Both answer 200 with `{errcode, errmsg}`: 0 is success; their
 * rate-limit codes are retried; any other code is a dead end.
 */
export class RobotChannel {
  /** WeCom 45009 and DingTalk 130101: too many messages a minute. */
  private static readonly RETRY_CODES = new Set([45009, 130101]);

  constructor(private readonly timeoutMs: number) {}

  static dingTalkSign(secret: string, timestamp: number): string {
    return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
  }

  static signedUrl(r: Pick<Robot, 'provider'>, url: string, secret: string | null, now = Date.now()): string {
    if (r.provider !== 'dingtalk' || !secret) return url;
    const u = new URL(url);
    u.searchParams.set('timestamp', String(now));
    u.searchParams.set('sign', RobotChannel.dingTalkSign(secret, now));
    return u.toString();
  }

  async send(robot: Robot, url: string, secret: string | null, m: Outgoing): Promise<ProviderAnswer> {
    let res: Response;
    try {
      res = await fetch(RobotChannel.signedUrl(robot, url, secret), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ msgtype: 'text', text: { content: m.body } }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const name = (e as Error).name;
      throw new SendError(
        name === 'TimeoutError'
          ? `robot webhook did not answer within ${this.timeoutMs} ms`
          : `robot webhook unreachable: ${(e as Error).message}`,
        false,
        'provider_unavailable',
      );
    }
    const answer = (await res.text().catch(() => '')).slice(0, 500);
    if (res.status >= 500 || res.status === 429)
      throw new SendError(`robot webhook answered ${res.status}`, false, httpFailureReason(false, res.status), answer);
    if (!res.ok) throw new SendError(`robot webhook refused the call: ${res.status}`, true, httpFailureReason(true, res.status), answer);
    let code: number | null = null;
    try {
      const body = JSON.parse(answer) as { errcode?: unknown };
      code = typeof body.errcode === 'number' ? body.errcode : null;
    } catch {
      code = null;
    }
    if (code === null) throw new SendError('robot webhook answered without an errcode', true, 'provider_refused', answer);
    if (code !== 0) {
      const limited = RobotChannel.RETRY_CODES.has(code);
      throw new SendError(`robot webhook answered errcode ${code}`, !limited, limited ? 'rate_limited' : 'provider_refused', answer);
    }
    return answer;
  }
}
