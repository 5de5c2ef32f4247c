import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A file on an order (photo, document, call recording): the bytes are in the StoragePort under `storageKey`. */
@Entity('attachment')
@Index('idx_attachment_ticket', ['ticketId', 'at'])
export class Attachment {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'ticket_id' })
  ticketId: string;

  @Column('text', { name: 'file_name' })
  fileName: string;

  @Column('text', { name: 'content_type' })
  contentType: string;

  /** Bytes (ATTACHMENT_MAX_BYTES is at most 1 GiB, so an int holds it). */
  @Column('int')
  size: number;

  /** SHA-256 of the bytes, hex. */
  @Column('text')
  sha256: string;

  @Index('uq_attachment_storage_key', { unique: true })
  @Column('text', { name: 'storage_key' })
  storageKey: string;

  @Column('text', { name: 'uploaded_by' })
  uploadedBy: string;

  @CreateDateColumn({ name: 'at', type: 'timestamptz' })
  at: Date;
}
