import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { NotificationKind, NotifyRule } from './rule.entity';

@Injectable()
export class RulesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The active rules of a kind that hold in a district (its own and the city-wide ones). */
  activeFor(m: EntityManager, kind: NotificationKind, district: string): Promise<NotifyRule[]> {
    return m.getRepository(NotifyRule).find({
      where: [
        { kind, active: true, districtCode: IsNull() },
        { kind, active: true, districtCode: district },
      ],
      order: { createdAt: 'ASC' },
    });
  }

  list(): Promise<NotifyRule[]> {
    return this.dataSource.getRepository(NotifyRule).find({ order: { kind: 'ASC', createdAt: 'ASC' } });
  }

  find(id: string): Promise<NotifyRule | null> {
    return this.dataSource.getRepository(NotifyRule).findOneBy({ id });
  }

  save(rule: NotifyRule): Promise<NotifyRule> {
    return this.dataSource.getRepository(NotifyRule).save(rule);
  }
}
