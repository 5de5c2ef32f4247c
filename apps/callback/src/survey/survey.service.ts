import { CallbackChannel } from '@app/contracts';
import {
  CLOCK,
  Clock,
  maskMobile,
  Principal,
  SMS_GATEWAY,
  SmsGateway,
  SmsMessage,
  SmsSendError,
  TransactionHost,
  TxHost,
} from '@app/platform';
import {
  BadGatewayException,
  ConflictException,
  GoneException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CALLBACK_CONFIG, CallbackConfig } from '../callback.config';
import { CallbackOutcomes } from '../tasks/callback-outcomes';
import { CallbackTask } from '../tasks/callback-task.entity';
import { IntakeContacts } from '../tasks/intake-contacts';
import { TasksRepository } from '../tasks/tasks.repository';
import { TasksService } from '../tasks/tasks.service';
import { CallbackTicketRepository } from '../tickets/callback-ticket.repository';
import { hashToken, LinkSigner } from './link-token';
import { SurveyLink } from './survey-link.entity';
import { SurveyRepository } from './survey.repository';
import { SurveyAnswerDto } from './survey.dto';

export interface SentLink {
  linkId: string;
  channel: CallbackChannel;
  sentTo: string;
  expiresAt: string;
}

/** What the citizen's page may show: the order number, when it was made, and the public reply. Nothing else. */
export interface SurveyView {
  orderNo: string | null;
  acceptedAt: Date | null;
  publicReply: string | null;
  kind: CallbackTask['kind'];
  expiresAt: Date;
}

/** Tries of an automatic survey SMS while intake or the provider cannot be reached. */
export const AUTO_SMS_TRIES = 5;

/** A mainland mobile number (SMS can reach it): digits only, a leading 86/0086 dropped. */
export function mobileNumber(phone: string): string | null {
  const digits = phone.replace(/\D/g, '').replace(/^(0086|86)(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

/** 短信/网页回访: a signed one-time link per task, answered on a public page with the same questions. */
@Injectable()
export class SurveyService {
  private readonly log = new Logger(SurveyService.name);
  private readonly signer: LinkSigner;

  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly tasks: TasksRepository,
    private readonly tickets: CallbackTicketRepository,
    private readonly links: SurveyRepository,
    private readonly outcomes: CallbackOutcomes,
    private readonly queue: TasksService,
    private readonly contacts: IntakeContacts,
    @Inject(SMS_GATEWAY) private readonly sms: SmsGateway,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CALLBACK_CONFIG) private readonly config: CallbackConfig,
  ) {
    this.signer = new LinkSigner(config.CALLBACK_LINK_KEYS);
  }

  /**
   * Text the citizen a link, for the team member holding the task. The phone comes from intake (an
   * audited reveal); the link is never returned to staff, so nobody answers in the citizen's place.
   */
  async sendLink(user: Principal, id: string): Promise<SentLink> {
    const t = await this.queue.heldTask(user, id, 'sending the survey');
    const { phone } = await this.queue.revealContact(user, t, `sms survey link for task ${t.id}`);
    const to = phone ? mobileNumber(phone) : null;
    if (!to) throw new UnprocessableEntityException('the citizen’s number cannot receive SMS (not a mobile number); call instead');

    const { link, token } = this.newLink(t.id, user.id);
    await this.txHost.withTransaction(async () => {
      const locked = await this.tasks.lock(t.id);
      if (locked?.state !== 'claimed' || locked.claimedBy !== user.id) throw new ConflictException('the task changed; claim it again');
      await this.links.insert(link);
    });
    try {
      await this.sms.send(await this.surveyMessage(t, to, token, link.id));
    } catch (e) {
      await this.links.revoke(link.id, this.clock.now());
      throw new BadGatewayException(`the SMS could not be sent: ${(e as Error).message}`);
    }
    return { linkId: link.id, channel: link.channel, sentTo: maskMobile(to), expiresAt: link.expiresAt.toISOString() };
  }

  /**
   * 短信回访 by itself: a reply's task queued for an SMS (the citizen left a mobile and did not refuse
   * SMS). Intake answers the mobile to callback alone, audited; the link is stored only once the
   * provider took the message. A refusal by intake or the provider ends it as `failed` (an agent still
   * calls); an unreachable provider is tried again at the next run, CALLBACK_AUTO_SMS_TRIES times.
   */
  async sendQueued(limit: number): Promise<{ sent: number; failed: number }> {
    const r = { sent: 0, failed: 0 };
    for (let i = 0; i < limit; i++) {
      const outcome = await this.sendNextQueued();
      if (!outcome) break;
      if (outcome === 'sent') r.sent++;
      if (outcome === 'failed') r.failed++;
    }
    return r;
  }

  /**
   * Three steps, so the link exists before the citizen can tap it: (1) lock the task, ask intake for
   * the mobile, store the link and mark the task `sending`; (2) send; (3) mark it `sent`, or revoke the
   * link and put it back in the queue (or `failed`).
   */
  private async sendNextQueued(): Promise<'sent' | 'failed' | 'retry' | null> {
    const prepared = await this.txHost.withTransaction(async () => {
      const t = await this.tasks.lockNextAutoSms();
      if (!t) return null;
      t.autoSmsTries += 1;
      const ready = await this.prepareAuto(t);
      await this.tasks.save(t);
      return { t, ready };
    });
    if (!prepared) return null;
    const { t, ready } = prepared;
    if (!ready) return t.autoSms === 'failed' ? 'failed' : 'retry';
    let error: Error | null = null;
    try {
      await this.sms.send(await this.surveyMessage(t, ready.to, ready.token, ready.link.id));
    } catch (e) {
      error = e as Error;
      this.log.warn({ msg: 'automatic survey SMS refused or failed', taskId: t.id, err: error.message });
    }
    const permanent = error instanceof SmsSendError && error.permanent;
    const state = !error ? 'sent' : permanent || t.autoSmsTries >= AUTO_SMS_TRIES ? 'failed' : 'queued';
    if (error) await this.links.revoke(ready.link.id, this.clock.now());
    await this.txHost.withTransaction(async () => {
      const locked = await this.tasks.lock(t.id);
      if (!locked) return;
      locked.autoSms = state;
      await this.tasks.save(locked);
    });
    return state === 'sent' ? 'sent' : state === 'failed' ? 'failed' : 'retry';
  }

  private async prepareAuto(t: CallbackTask): Promise<{ to: string; token: string; link: SurveyLink } | null> {
    if (t.state !== 'pending') {
      t.autoSms = 'failed';
      return null;
    }
    const contact = await this.contacts.surveySmsContact(t.ticketId, t.id).catch((e: Error) => e);
    const to = contact instanceof Error || !contact.ok ? null : mobileNumber(contact.mobile ?? '');
    if (!to) {
      const transient = contact instanceof Error;
      this.log.warn({
        msg: 'automatic survey SMS not sent',
        taskId: t.id,
        reason: transient ? contact.message : (contact.error ?? 'not a mobile'),
      });
      t.autoSms = !transient || t.autoSmsTries >= AUTO_SMS_TRIES ? 'failed' : 'queued';
      return null;
    }
    const { link, token } = this.newLink(t.id, 'system:auto-sms');
    await this.links.insert(link);
    t.autoSms = 'sending';
    return { to, token, link };
  }

  private newLink(taskId: string, sentBy: string): { link: SurveyLink; token: string } {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.CALLBACK_LINK_TTL_HOURS * 3_600_000);
    const { token } = this.signer.sign(expiresAt);
    const link = Object.assign(new SurveyLink(), {
      id: randomUUID(),
      taskId,
      tokenHash: hashToken(token),
      channel: CallbackChannel.Sms,
      sentBy,
      expiresAt,
      usedAt: null,
      revokedAt: null,
    });
    return { link, token };
  }

  /** The survey text: the order number and the link, never the citizen's name; sent with the provider's template and signature. */
  private async surveyMessage(t: CallbackTask, to: string, token: string, reference: string): Promise<SmsMessage> {
    const info = await this.tickets.find(t.ticketId);
    const order = info?.orderNo ? `（工单号${info.orderNo}）` : '';
    const url = `${this.config.CALLBACK_SURVEY_BASE_URL.replace(/\/$/, '')}/s/${token}`;
    const hours = String(this.config.CALLBACK_LINK_TTL_HOURS);
    return {
      to,
      signature: this.config.CALLBACK_SMS_SIGNATURE.replace(/[【】]/g, ''),
      templateId: this.config.CALLBACK_SMS_TEMPLATE_ID,
      params: { orderNo: info?.orderNo ?? '', link: url, hours },
      text: `${this.config.CALLBACK_SMS_SIGNATURE}您反映的问题${order}已办理答复，请点击链接评价：${url} ，${hours}小时内有效。`,
      reference,
    };
  }

  /** The page behind a link: refused (404/409/410) exactly as an answer would be. */
  async open(token: string): Promise<SurveyView> {
    const link = await this.links.findByHash(this.verified(token));
    const t = link ? await this.tasks.find(link.taskId) : null;
    this.ensureUsable(link, t);
    const info = await this.tickets.find(t!.ticketId);
    return {
      orderNo: info?.orderNo ?? null,
      acceptedAt: info?.acceptedAt ?? null,
      publicReply: info?.publicReply ?? null,
      kind: t!.kind,
      expiresAt: link!.expiresAt,
    };
  }

  /** The citizen's answers: the link is used up and the task completed in one transaction. */
  async answer(token: string, dto: SurveyAnswerDto): Promise<void> {
    const hash = this.verified(token);
    await this.txHost.withTransaction(async () => {
      const link = await this.links.lockByHash(hash);
      const t = link ? await this.tasks.lock(link.taskId) : null;
      this.ensureUsable(link, t);
      const now = this.clock.now();
      await this.links.markUsed(link!.id, now);
      await this.outcomes.answered(t!, dto, link!.channel, now);
      t!.claimedBy = null;
      t!.claimedAt = null;
      await this.tasks.save(t!);
    });
  }

  private verified(token: string): string {
    if (!this.signer.verify(token)) throw new NotFoundException('此链接无效 this survey link is not valid');
    return hashToken(token);
  }

  private ensureUsable(link: SurveyLink | null, t: CallbackTask | null): void {
    if (!link || !t) throw new NotFoundException('此链接无效 this survey link is not valid');
    if (link.usedAt) throw new ConflictException('此链接已使用 this survey link has already been used');
    if (t.state === 'completed' || t.state === 'failed') throw new ConflictException('此回访已结束 this callback is already finished');
    if (link.revokedAt) throw new GoneException('此链接已作废 this survey link was withdrawn');
    if (link.expiresAt <= this.clock.now())
      throw new GoneException(`此链接已过期 this survey link expired at ${link.expiresAt.toISOString()}`);
  }
}
