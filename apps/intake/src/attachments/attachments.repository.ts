import { TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { Attachment } from './attachment.entity';

/** The attachment rows (the files are in the AttachmentStore); in the caller's transaction when there is one. */
@Injectable()
export class AttachmentsRepository {
  constructor(@Inject(TransactionHost) private readonly txHost: TxHost) {}

  countPublic(ticketId: string): Promise<number> {
    return this.txHost.tx.getRepository(Attachment).countBy({ ticketId, uploadedBy: 'public' });
  }

  async insert(row: Attachment): Promise<void> {
    await this.txHost.tx.insert(Attachment, row);
  }

  /** An order's attachments, oldest first. */
  ofTicket(ticketId: string): Promise<Attachment[]> {
    return this.txHost.tx.getRepository(Attachment).find({ where: { ticketId }, order: { at: 'ASC', id: 'ASC' } });
  }

  find(ticketId: string, attachmentId: string): Promise<Attachment | null> {
    return this.txHost.tx.getRepository(Attachment).findOneBy({ id: attachmentId, ticketId });
  }
}
