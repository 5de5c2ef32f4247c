import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RevealAudit, Ticket } from './ticket.entity';

@Injectable()
export class TicketsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(fn);
  }

  /** Next number of the day, atomically across replicas (autocommit: the row lock lasts one statement). */
  async nextOrderSequence(day: string): Promise<number> {
    const rows: { last: number }[] = await this.dataSource.query(
      `INSERT INTO order_sequence (day, last) VALUES ($1, 1)
       ON CONFLICT (day) DO UPDATE SET last = order_sequence.last + 1
       RETURNING last`,
      [day],
    );
    return rows[0].last;
  }

  async insert(m: EntityManager, ticket: Ticket): Promise<void> {
    await m.insert(Ticket, ticket);
  }

  findById(id: string): Promise<Ticket | null> {
    return this.dataSource.getRepository(Ticket).findOneBy({ id });
  }

  /** Newest first, within the districts given (null = all). */
  list(districts: string[] | null, districtCode: string | undefined, limit: number): Promise<Ticket[]> {
    const qb = this.dataSource.getRepository(Ticket).createQueryBuilder('t').orderBy('t.accepted_at', 'DESC').limit(limit);
    if (districts) qb.andWhere('t.district_code = ANY(:districts)', { districts });
    if (districtCode) qb.andWhere('t.district_code = :districtCode', { districtCode });
    return qb.getMany();
  }

  async audit(entry: RevealAudit): Promise<void> {
    await this.dataSource.getRepository(RevealAudit).insert(entry);
  }

  reveals(ticketId: string): Promise<RevealAudit[]> {
    return this.dataSource.getRepository(RevealAudit).find({ where: { ticketId }, order: { at: 'ASC' } });
  }
}
