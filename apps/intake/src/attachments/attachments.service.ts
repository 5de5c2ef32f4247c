import { CLOCK, Clock, FieldValidationException, hasRole, inUnit, Principal, TransactionHost, TxHost } from '@app/platform';
import {
  ConflictException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { IntakeConfig } from '../intake.config';
import { INTAKE_CONFIG, STORAGE_PORT } from '../intake.tokens';
import { TicketsService } from '../tickets/tickets.service';
import { Attachment } from './attachment.entity';
import { ObjectTooLargeError, StoragePort } from './storage.port';

export interface AttachmentView {
  id: string;
  ticketId: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  at: string;
}

export interface AttachmentUpload {
  fileName: string;
  /** The request's Content-Type header, parameters and all. */
  contentType: string | undefined;
  /** The request's Content-Length, when it sent one. */
  declaredLength: number | undefined;
  body: Readable;
}

export function toAttachmentView(a: Attachment): AttachmentView {
  return {
    id: a.id,
    ticketId: a.ticketId,
    fileName: a.fileName,
    contentType: a.contentType,
    size: a.size,
    sha256: a.sha256,
    uploadedBy: a.uploadedBy,
    at: a.at.toISOString(),
  };
}

/** The limit stated the way an operator reads it: `10 MiB (10485760 bytes)`. */
export function describeLimit(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  const kib = bytes / 1024;
  const human = Number.isInteger(mib) ? `${mib} MiB` : Number.isInteger(kib) ? `${kib} KiB` : `${bytes} bytes`;
  return human.endsWith('bytes') ? human : `${human} (${bytes} bytes)`;
}

export class AttachmentTooLargeException extends HttpException {
  constructor(maxBytes: number) {
    super(
      {
        statusCode: HttpStatus.PAYLOAD_TOO_LARGE,
        error: 'Payload Too Large',
        message: `attachment exceeds the limit of ${describeLimit(maxBytes)}`,
      },
      HttpStatus.PAYLOAD_TOO_LARGE,
    );
  }
}

/** The types a citizen may send from the public form: photos. */
export const PUBLIC_PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

/** Files on an order: bytes behind the StoragePort, a row per file; the row exists only if the file does. */
@Injectable()
export class AttachmentsService {
  private readonly log = new Logger(AttachmentsService.name);
  private readonly allowed: Set<string>;

  constructor(
    @Inject(TransactionHost) private readonly txHost: TxHost,
    private readonly tickets: TicketsService,
    @Inject(STORAGE_PORT) private readonly storage: StoragePort,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.allowed = new Set(config.ATTACHMENT_CONTENT_TYPES.split(','));
  }

  async upload(user: Principal, ticketId: string, u: AttachmentUpload): Promise<AttachmentView> {
    const contentType = this.checkType(u, this.allowed);
    this.checkDeclaredLength(u);
    // Evidence for a reply may come from anyone handling the order in its district: intake does not know
    // the handlers a resident desk assigned (dispatch does, and checks them when the reply is made).
    await this.tickets.visibleOrder(user, ticketId);
    return this.store(ticketId, user.id, contentType, u);
  }

  /**
   * The citizen's photo (the public form), authorised by the order number and status token: a photo
   * type only, at most PUBLIC_ATTACHMENT_MAX per order, within PUBLIC_ATTACHMENT_WINDOW_MINUTES of
   * the submission (a receipt passed on later cannot be used to post pictures onto the order).
   */
  async uploadPublic(orderNo: string, token: string, u: AttachmentUpload): Promise<{ fileName: string; size: number }> {
    const photos = new Set([...this.allowed].filter((t) => PUBLIC_PHOTO_TYPES.includes(t)));
    const contentType = this.checkType(u, photos);
    this.checkDeclaredLength(u);
    const t = await this.tickets.citizenContact(orderNo, token);
    const windowMs = this.config.PUBLIC_ATTACHMENT_WINDOW_MINUTES * 60_000;
    if (this.clock.now().getTime() - t.acceptedAt.getTime() > windowMs) {
      throw new ConflictException(`photos are taken within ${this.config.PUBLIC_ATTACHMENT_WINDOW_MINUTES} minutes of the submission`);
    }
    const count = await this.txHost.tx.getRepository(Attachment).countBy({ ticketId: t.id, uploadedBy: 'public' });
    if (count >= this.config.PUBLIC_ATTACHMENT_MAX) {
      throw new ConflictException(`at most ${this.config.PUBLIC_ATTACHMENT_MAX} photos per request`);
    }
    const v = await this.store(t.id, 'public', contentType, u);
    return { fileName: v.fileName, size: v.size };
  }

  private checkType(u: AttachmentUpload, allowed: Set<string>): string {
    const contentType = (u.contentType ?? '').split(';')[0].trim().toLowerCase();
    if (!allowed.has(contentType)) {
      throw new FieldValidationException([
        {
          field: 'Content-Type',
          reason: `${contentType || '(none)'} is not an allowed attachment type; allowed: ${[...allowed].join(', ')}`,
        },
      ]);
    }
    return contentType;
  }

  private checkDeclaredLength(u: AttachmentUpload): void {
    const max = this.config.ATTACHMENT_MAX_BYTES;
    if (u.declaredLength !== undefined && u.declaredLength > max) throw new AttachmentTooLargeException(max);
  }

  private async store(ticketId: string, uploadedBy: string, contentType: string, u: AttachmentUpload): Promise<AttachmentView> {
    const max = this.config.ATTACHMENT_MAX_BYTES;
    const id = randomUUID();
    const storageKey = `${ticketId}/${id}`;
    let staged;
    try {
      staged = await this.storage.put(storageKey, u.body, max);
    } catch (e) {
      if (e instanceof ObjectTooLargeError) throw new AttachmentTooLargeException(max);
      throw e;
    }
    if (staged.size === 0) {
      await staged.discard();
      throw new FieldValidationException([{ field: 'body', reason: 'the attachment is empty' }]);
    }
    const row = Object.assign(new Attachment(), {
      id,
      ticketId,
      fileName: u.fileName,
      contentType,
      size: staged.size,
      sha256: staged.sha256,
      storageKey,
      uploadedBy,
    });
    let committed = false;
    try {
      await this.txHost.withTransaction(async () => {
        await this.txHost.tx.insert(Attachment, row);
        // The rename is the last step before COMMIT: if it fails, the row rolls back.
        await staged.commit();
        committed = true;
      });
    } catch (e) {
      // Row not stored: no file either (staged, or already renamed when COMMIT itself failed).
      await (committed ? this.storage.delete(storageKey) : staged.discard()).catch((err: Error) =>
        this.log.error({ msg: 'could not remove an orphaned attachment file', storageKey, err: err.message }),
      );
      throw e;
    }
    // The insert's RETURNING has already filled in `at` (the column's default): no need to read the row back.
    return toAttachmentView(row);
  }

  async list(user: Principal, ticketId: string): Promise<AttachmentView[]> {
    await this.unitMemberOrStaff(user, ticketId);
    const rows = await this.txHost.tx.getRepository(Attachment).find({ where: { ticketId }, order: { at: 'ASC', id: 'ASC' } });
    return rows.map(toAttachmentView);
  }

  async open(user: Principal, ticketId: string, attachmentId: string): Promise<{ attachment: Attachment; body: Readable }> {
    await this.unitMemberOrStaff(user, ticketId);
    const a = await this.txHost.tx.getRepository(Attachment).findOneBy({ id: attachmentId, ticketId });
    if (!a) throw new NotFoundException(`no attachment ${attachmentId} on order ${ticketId}`);
    const obj = await this.storage.get(a.storageKey);
    if (!obj) {
      this.log.error({ msg: 'attachment row without its file', attachmentId, storageKey: a.storageKey });
      throw new NotFoundException(`the file of attachment ${attachmentId} is missing from storage`);
    }
    return { attachment: a, body: obj.body };
  }

  /**
   * Staff of the order's district (operators, dispatchers, supervisors, analysts) reach its files; a
   * handler or unit head only on an order their unit handles (evidence for the reply, 办结佐证).
   */
  private async unitMemberOrStaff(user: Principal, ticketId: string): Promise<void> {
    const t = await this.tickets.visibleOrder(user, ticketId);
    const staff = hasRole(user, 'operator', 'dispatcher', 'supervisor', 'analyst', 'admin');
    if (!staff && (!t.unitId || !inUnit(user, t.unitId))) {
      throw new ForbiddenException('only a member of the unit handling this order may attach or read its files');
    }
  }
}
