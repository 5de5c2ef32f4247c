import { EventEnvelope } from '@app/contracts';
import { BatchWorkKey, HandlerContext, OnEvent } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { CategoryChange, CategoryNamesRepository } from './category-names.repository';

/** The events that change `category_name` (a replay applies them too, replay.ts). */
export const CATEGORY_NAME_EVENT_TYPES = ['category.changed.v1'] as const;

/** The names a `category.changed.v1` sets. */
export function categoryChangeOf(e: EventEnvelope<'category.changed.v1'>): CategoryChange {
  const d = e.data;
  return { code: d.code, nameZh: d.nameZh, nameEn: d.nameEn, active: d.active, changedAt: d.changedAt };
}

/**
 * Intake's maintained taxonomy (an administrator added, renamed, retired or restored a category):
 * analytics keeps the names, so its rates, reports, hotspots and wall name a category as the
 * console does. A batch's changes are written at its end in one statement, in code order (BUS_BATCH:
 * concurrent batches of this consumer never take two rows in opposite orders).
 */
@Injectable()
export class CategoryNamesHandlers {
  private readonly changes = BatchWorkKey.collecting<CategoryChange>('analytics category names', (c) => this.names.apply(c));

  constructor(private readonly names: CategoryNamesRepository) {}

  @OnEvent(...CATEGORY_NAME_EVENT_TYPES)
  async changed(e: EventEnvelope<'category.changed.v1'>, ctx: HandlerContext): Promise<void> {
    ctx.batch.work(this.changes).items.push(categoryChangeOf(e));
  }
}
