import { Logger } from '@nestjs/common';

export const SMS_GATEWAY = Symbol('SMS_GATEWAY');

export interface SmsMessage {
  /** The citizen's mobile number (digits only). */
  to: string;
  text: string;
  /** Our reference for the gateway's delivery reports: the survey link id, never personal data. */
  reference: string;
}

/** The port: how callback sends a text message. One adapter is bound at boot (CALLBACK_SMS_ADAPTER). */
export interface SmsGateway {
  send(message: SmsMessage): Promise<void>;
}

export class SmsSendError extends Error {}

const maskPhone = (p: string) => (p.length >= 7 ? `${p.slice(0, 3)}****${p.slice(-4)}` : '****');

/**
 * Development default: writes the message to the log instead of sending it. Outside production the
 * text (with its link) is logged so a developer can open the survey; in production only its length.
 */
export class LogSmsGateway implements SmsGateway {
  private readonly log = new Logger('Sms');

  constructor(private readonly revealText: boolean) {}

  async send(m: SmsMessage): Promise<void> {
    this.log.log({
      msg: 'sms (log adapter, not sent)',
      to: maskPhone(m.to),
      reference: m.reference,
      ...(this.revealText ? { text: m.text } : { length: m.text.length }),
    });
  }
}

/** POSTs `{to, text, reference}` as JSON to the gateway's URL, with an optional bearer token and a timeout. */
export class HttpSmsGateway implements SmsGateway {
  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
    private readonly token?: string,
  ) {}

  async send(m: SmsMessage): Promise<void> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
        body: JSON.stringify({ to: m.to, text: m.text, reference: m.reference }),
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
    if (!res.ok) throw new SmsSendError(`sms gateway answered ${res.status}`);
    await res.body?.cancel();
  }
}
