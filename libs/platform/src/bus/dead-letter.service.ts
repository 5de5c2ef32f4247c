import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { DeadLetterRecord } from './bus.entities';
import { ConsumerHost } from './consumer-host';

export class DeadLetterNotFound extends Error {}

/** A dead letter as operators see it: the body as text where it is text, and always byte for byte. */
export interface DeadLetterView extends Omit<DeadLetterRecord, 'payload'> {
  /** The body decoded as UTF-8 (invalid sequences shown as U+FFFD); see `payloadBase64` for the bytes. */
  payload: string;
  /** The raw body, base64: what replay applies. */
  payloadBase64: string;
  /** Whether the body is valid UTF-8 (if not, `payload` is only an approximation). */
  payloadIsUtf8: boolean;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const LOSSY_UTF8 = new TextDecoder('utf-8');

export function deadLetterView(dl: DeadLetterRecord): DeadLetterView {
  let isUtf8 = true;
  try {
    STRICT_UTF8.decode(dl.payload);
  } catch {
    isUtf8 = false;
  }
  return { ...dl, payload: LOSSY_UTF8.decode(dl.payload), payloadBase64: dl.payload.toString('base64'), payloadIsUtf8: isUtf8 };
}

/** What an operator does with dead letters: look at them, and replay one once its cause is fixed. */
@Injectable()
export class DeadLetterService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly consumers: ConsumerHost,
  ) {}

  async list(includeReplayed: boolean, limit: number): Promise<DeadLetterView[]> {
    const rows = await this.dataSource.getRepository(DeadLetterRecord).find({
      where: includeReplayed ? {} : { replayedAt: IsNull() },
      order: { createdAt: 'DESC' },
      take: limit,
    });
    return rows.map(deadLetterView);
  }

  /** Apply the stored bytes again through its consumer; throws with the reasons if it still cannot. */
  /** The subject a dead letter was published on (its district is the second token), or null. */
  async subjectOf(id: string): Promise<string | null> {
    const letter = await this.dataSource.getRepository(DeadLetterRecord).findOne({ where: { id }, select: { id: true, subject: true } });
    return letter?.subject ?? null;
  }

  async replay(id: string): Promise<{ result: 'applied' | 'duplicate' }> {
    const repo = this.dataSource.getRepository(DeadLetterRecord);
    const dl = await repo.findOneBy({ id });
    if (!dl) throw new DeadLetterNotFound(id);
    const result = await this.consumers.applyRaw(dl.consumer, dl.subject, dl.payload, dl.headers);
    await repo.update({ id }, { replayedAt: new Date() });
    return { result };
  }
}
