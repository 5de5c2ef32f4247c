import { CLOCK, Clock, PiiCipher, TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { renderDigest } from '../notifications/messages';
import { NOTIFY_CONFIG, NotifyConfig } from '../notify.config';
import { StaffContacts } from '../recipients/staff-contacts';
import { EmailChannel, Outgoing, RobotChannel, SendError, SmsChannel } from './channels';
import { DeliveriesRepository } from './deliveries.repository';
import { MessageDelivery, SendAttempt } from './delivery.entity';

export const SMS_CHANNEL = Symbol('SMS_CHANNEL');
export const EMAIL_CHANNEL = Symbol('EMAIL_CHANNEL');
export const ROBOT_CHANNEL = Symbol('ROBOT_CHANNEL');

export interface RunResult {
  sent: number;
  retried: number;
  failed: number;
  dead: number;
  digests: number;
}

/**
 * Sends what is due: each pending delivery in its own transaction, locked (`FOR UPDATE SKIP LOCKED`,
 * so replicas share the work), sent, and its attempt logged with the provider's answer. A failure
 * that may pass (5xx, timeout) is retried after NOTIFY_RETRY_BASE_MS × 2^(attempts-1), up to
 * NOTIFY_MAX_ATTEMPTS, then `failed`; a dead end (invalid number, refused webhook) is `dead` at once.
 * Due digests are first folded into one pending delivery per person and channel.
 */
@Injectable()
export class DeliveryService {
  private readonly log = new Logger('Delivery');

  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly deliveries: DeliveriesRepository,
    private readonly pii: PiiCipher,
    private readonly contacts: StaffContacts,
    @Inject(SMS_CHANNEL) private readonly sms: SmsChannel,
    @Inject(EMAIL_CHANNEL) private readonly email: EmailChannel,
    @Inject(ROBOT_CHANNEL) private readonly robots: RobotChannel,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(NOTIFY_CONFIG) private readonly config: NotifyConfig,
  ) {}

  async run(): Promise<RunResult> {
    const r: RunResult = { sent: 0, retried: 0, failed: 0, dead: 0, digests: 0 };
    while (r.digests < this.config.NOTIFY_BATCH && (await this.foldDigest())) r.digests++;
    for (let i = 0; i < this.config.NOTIFY_BATCH; i++) {
      const outcome = await this.txHost.withTransaction(() => this.sendNext());
      if (!outcome) break;
      r[outcome]++;
    }
    return r;
  }

  /** One person's due digest rows become one pending delivery (sent by the usual path, with retries). */
  private foldDigest(): Promise<boolean> {
    return this.txHost.withTransaction(async () => {
      const rows = await this.deliveries.lockDueDigest(this.clock.now());
      if (!rows.length) return false;
      const first = rows[0];
      const msg = renderDigest(rows);
      const now = this.clock.now();
      const digest = Object.assign(new MessageDelivery(), {
        ...first,
        id: randomUUID(),
        eventId: randomUUID(),
        kind: 'digest',
        urgent: false,
        ticketId: null,
        title: msg.title,
        body: msg.body,
        params: msg.params,
        state: 'pending',
        notBefore: now,
        attempts: 0,
        lastError: null,
        lastReason: null,
        sentAt: null,
        digestId: null,
        createdAt: now,
      });
      await this.deliveries.insertIfAbsent(digest);
      for (const row of rows) Object.assign(row, { state: 'digested', digestId: digest.id });
      await this.deliveries.save(rows);
      return true;
    });
  }

  private async sendNext(): Promise<'sent' | 'retried' | 'failed' | 'dead' | null> {
    const d = await this.deliveries.lockNextDue(this.clock.now());
    if (!d) return null;
    const started = Date.now();
    const out: Outgoing = { title: d.title, body: d.body, kind: d.kind, params: d.params, reference: d.id };
    let answer: string | null = null;
    let error: SendError | null = null;
    try {
      answer = await this.dispatch(d, out);
    } catch (e) {
      error = e instanceof SendError ? e : new SendError((e as Error).message, false, 'unexpected');
      answer = error.answer || null;
    }
    const now = this.clock.now();
    d.attempts += 1;
    let outcome: 'sent' | 'retried' | 'failed' | 'dead';
    if (!error) {
      outcome = 'sent';
      Object.assign(d, { state: 'sent', sentAt: now, lastError: null, lastReason: null });
    } else if (error.permanent) {
      outcome = 'dead';
      Object.assign(d, { state: 'dead', lastError: error.message, lastReason: error.reason });
    } else if (d.attempts >= this.config.NOTIFY_MAX_ATTEMPTS) {
      outcome = 'failed';
      Object.assign(d, { state: 'failed', lastError: error.message, lastReason: error.reason });
    } else {
      outcome = 'retried';
      const wait = Math.min(this.config.NOTIFY_RETRY_BASE_MS * 2 ** (d.attempts - 1), this.config.NOTIFY_RETRY_MAX_MS);
      Object.assign(d, { notBefore: new Date(now.getTime() + wait), lastError: error.message, lastReason: error.reason });
    }
    await this.deliveries.save(d);
    await this.deliveries.addAttempt(
      Object.assign(new SendAttempt(), {
        id: randomUUID(),
        deliveryId: d.id,
        at: now,
        outcome: outcome === 'retried' ? 'retry' : outcome,
        answer,
        error: error?.message ?? null,
        reason: error?.reason ?? null,
        durationMs: Date.now() - started,
      }),
    );
    if (outcome === 'dead' || outcome === 'failed') {
      this.log.warn({ msg: `delivery ${outcome}`, deliveryId: d.id, channel: d.channel, to: d.targetMasked, err: error?.message });
    }
    return outcome;
  }

  private async dispatch(d: MessageDelivery, out: Outgoing): Promise<string> {
    if (d.channel === 'sms') return this.sms.send(await this.address(d, 'sms'), out);
    if (d.channel === 'email') return this.email.send(await this.address(d, 'email'), out);
    const robot = d.robotId ? await this.deliveries.robot(d.robotId) : null;
    if (!robot?.active) throw new SendError('the robot is gone or deactivated', true, 'robot_inactive');
    return this.robots.send(robot, this.pii.decrypt(robot.urlEnc), robot.secretEnc ? this.pii.decrypt(robot.secretEnc) : null, out);
  }

  /** The person's address, asked of the console now; its masked form goes to the delivery log. */
  private async address(d: MessageDelivery, channel: 'sms' | 'email'): Promise<string> {
    if (!d.personId) throw new SendError('no address', true, 'no_contact');
    const { address, masked } = await this.contacts.address(d.personId, channel, `delivery ${d.id}`);
    d.targetMasked = masked;
    return address;
  }
}
