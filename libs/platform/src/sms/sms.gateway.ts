import { Logger } from '@nestjs/common';

export const SMS_GATEWAY = Symbol('SMS_GATEWAY');

/**
 * One text message as China's SMS providers take it: a registered sender signature (签名, e.g.
 * `12345热线`), a template approved with the provider (模板 id, e.g. Aliyun `SMS_123456789`, Tencent
 * `1234567`) and the template's parameters. `text` is the same message rendered in full, for the log
 * adapter and for gateways that take free text.
 */
export interface SmsMessage {
  /** The mobile number (digits only). */
  to: string;
  signature: string;
  templateId: string;
  params: Record<string, string>;
  text: string;
  /** Our reference for the provider's delivery reports: never personal data. */
  reference: string;
}

/** What the provider answered, kept in the delivery log. */
export interface SmsReceipt {
  status: number;
  answer: string;
}

/** The port: how a service sends a text message. One adapter is bound at boot. */
export interface SmsGateway {
  send(message: SmsMessage): Promise<SmsReceipt>;
}

/**
 * A send that failed. `permanent`: retrying cannot help (the provider refused the number or the
 * template: a 4xx, or a 2xx whose body reports an error code); otherwise (5xx, timeout, unreachable)
 * it may be retried. `status`: the gateway's HTTP status, 0 when it did not answer.
 */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
    readonly answer = '',
    readonly status = 0,
  ) {
    super(message);
  }
}

export const maskMobile = (p: string) => (p.length >= 7 ? `${p.slice(0, 3)}****${p.slice(-4)}` : '****');

/**
 * Development default: writes the message to the log instead of sending it. Outside production the
 * text (with its link) is logged so a developer can follow it; in production only its length.
 */
export class LogSmsGateway implements SmsGateway {
  private readonly log = new Logger('Sms');

  constructor(private readonly revealText: boolean) {}

  async send(m: SmsMessage): Promise<SmsReceipt> {
    this.log.log({
      msg: 'sms (log adapter, not sent)',
      to: maskMobile(m.to),
      templateId: m.templateId,
      reference: m.reference,
      ...(this.revealText ? { text: m.text } : { length: m.text.length }),
    });
    return { status: 0, answer: 'logged, not sent' };
  }
}

/**
 * POSTs `{to, signName, templateCode, templateParam, text, reference}` as JSON to the provider's (or
 * the city's SMS platform's) URL, with an optional bearer token and a timeout. A 2xx whose JSON body
 * has a `code` other than `OK`/`0` (Aliyun's and Tencent's convention) is a refusal.
 */
export class HttpSmsGateway implements SmsGateway {
  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
    private readonly token?: string,
  ) {}

  async send(m: SmsMessage): Promise<SmsReceipt> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
        body: JSON.stringify({
          to: m.to,
          signName: m.signature,
          templateCode: m.templateId,
          templateParam: m.params,
          text: m.text,
          reference: m.reference,
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const name = (e as Error).name;
      throw new SmsSendError(
        name === 'TimeoutError'
          ? `sms gateway did not answer within ${this.timeoutMs} ms`
          : `sms gateway unreachable: ${(e as Error).message}`,
      );
    }
    const answer = (await res.text().catch(() => '')).slice(0, 500);
    if (res.status >= 500 || res.status === 429) throw new SmsSendError(`sms gateway answered ${res.status}`, false, answer, res.status);
    if (!res.ok) throw new SmsSendError(`sms gateway answered ${res.status}`, true, answer, res.status);
    const code = bodyCode(answer);
    if (code !== null && code !== 'OK' && code !== '0')
      throw new SmsSendError(`sms gateway refused the message: ${code}`, true, answer, res.status);
    return { status: res.status, answer };
  }
}

function bodyCode(answer: string): string | null {
  try {
    const body = JSON.parse(answer) as { code?: unknown };
    const code = body && typeof body === 'object' ? body.code : undefined;
    return typeof code === 'string' || typeof code === 'number' ? String(code) : null;
  } catch {
    return null;
  }
}
