import { EventEnvelope } from '@app/contracts';
import { OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { CategoryNamesRepository } from './category-names.repository';

/**
 * Intake's maintained taxonomy: the names an administrator gives a category (added, renamed,
 * retired or restored), so messages name it as the console does.
 */
@Injectable()
export class CategoryNamesHandlers {
  constructor(private readonly names: CategoryNamesRepository) {}

  @OnEvent('category.changed.v1')
  async changed(e: EventEnvelope<'category.changed.v1'>): Promise<void> {
    const d = e.data;
    await this.names.upsert({ code: d.code, nameZh: d.nameZh, nameEn: d.nameEn, active: d.active, changedAt: new Date(d.changedAt) });
  }
}
