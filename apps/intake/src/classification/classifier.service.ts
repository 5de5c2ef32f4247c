import { RequestType, Urgency } from '@app/contracts';
import { CLOCK, Clock, Write } from '@app/platform';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { rootOf } from '../taxonomy/taxonomy.data';
import { TaxonomyService } from '../taxonomy/taxonomy.service';
import { ClassifierRepository } from './classifier.repository';
import { CategoryModel, suggestType, suggestUrgency } from './classifier';

export interface ClassificationView {
  categories: { code: string; nameZh: string; nameEn: string; score: number }[];
  requestType: RequestType;
  urgency: Urgency;
}

/** Past orders the model is built from (the newest). */
const SAMPLE_LIMIT = 20_000;
/** Other replicas' confirmations reach this one at the next rebuild. */
const REBUILD_MS = 10 * 60_000;

/**
 * 智能分类 for the operator: suggests category, type and urgency; each order the operator confirms
 * is stored as a sample and learnt at once, so corrections improve later suggestions.
 */
@Injectable()
export class ClassifierService implements OnModuleInit {
  private model: CategoryModel | null = null;
  private builtAt = 0;
  /** The rebuild that requests finding the model stale wait for: one at a time, not one per request. */
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly repo: ClassifierRepository,
    private readonly taxonomy: TaxonomyService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    this.taxonomy.onChange(() => void this.rebuild().catch(() => undefined));
    await this.rebuild();
  }

  async rebuild(): Promise<void> {
    const samples = await this.repo.recent(SAMPLE_LIMIT);
    const entries = this.taxonomy.list().map((c) => ({ code: c.code, nameZh: c.nameZh, keywords: c.keywords }));
    this.model = new CategoryModel(entries, samples);
    this.builtAt = this.clock.now().getTime();
  }

  async suggest(text: string): Promise<ClassificationView> {
    if (!this.model || this.clock.now().getTime() - this.builtAt > REBUILD_MS) {
      await (this.refreshing ??= this.rebuild().finally(() => (this.refreshing = null)));
    }
    const categories = this.model!.suggestCategories(text).map((g) => {
      const c = this.taxonomy.find(g.code);
      return { code: g.code, nameZh: c?.nameZh ?? g.code, nameEn: c?.nameEn ?? g.code, score: g.score };
    });
    return { categories, requestType: suggestType(text), urgency: suggestUrgency(text) };
  }

  /**
   * The operator confirmed (or corrected) the category of an order: the sample to keep, written by
   * the caller with the order (`Outbox.publishWith`); `learn` once it is written.
   */
  sampleWrite(ticketId: string, text: string, categoryCode: string, suggested: string | null): Write {
    return this.repo.insertWrite({ ticketId, text, categoryCode, suggestedCode: suggested, corrected: corrected(categoryCode, suggested) });
  }

  /**
   * Learn from a confirmed order whose sample is written (`sampleWrite`). `words`: the text's
   * `tokens`, when the caller has them already (the submission cut them for the duplicate check), so
   * the text is not cut again.
   */
  learn(text: string, categoryCode: string, suggested: string | null, words?: string[]): void {
    this.model?.learn({ text, categoryCode, corrected: corrected(categoryCode, suggested) }, words);
  }
}

/** A correction: the operator chose another root than the one suggested. */
function corrected(categoryCode: string, suggested: string | null): boolean {
  return suggested !== null && rootOf(suggested) !== rootOf(categoryCode);
}
