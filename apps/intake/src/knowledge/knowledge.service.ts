import { cityDay, CLOCK, Clock, FieldError, FieldValidationException, Principal } from '@app/platform';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { searchTokens } from '../classification/text';
import { IntakeConfig } from '../intake.config';
import { INTAKE_CONFIG } from '../intake.tokens';
import { rootOf } from '../taxonomy/taxonomy.data';
import { TaxonomyService } from '../taxonomy/taxonomy.service';
import { ArticleView, CreateArticleDto, UpdateArticleDto } from './knowledge.dto';
import { KbArticle } from './kb-article.entity';
import { KnowledgeRepository } from './knowledge.repository';

/**
 * 知识库: articles an operator reads out to answer at first contact. Search works for Chinese by
 * cutting both the articles and the query with jieba (search mode) before Postgres indexes them.
 */
@Injectable()
export class KnowledgeService {
  constructor(
    private readonly repo: KnowledgeRepository,
    private readonly taxonomy: TaxonomyService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
  ) {}

  private today(at = this.clock.now()): string {
    return cityDay(at, this.config.CITY_TIME_ZONE);
  }

  private async check(dto: UpdateArticleDto): Promise<void> {
    const problems: FieldError[] = [];
    for (const code of dto.categoryCodes ?? []) {
      if (!(await this.taxonomy.current(code)))
        problems.push({ field: 'categoryCodes', reason: `${code} is not a category of the taxonomy` });
    }
    if (dto.validFrom && dto.validTo && dto.validTo < dto.validFrom)
      problems.push({ field: 'validTo', reason: 'validTo is before validFrom' });
    if (problems.length) throw new FieldValidationException(problems);
  }

  async create(user: Principal, dto: CreateArticleDto): Promise<ArticleView> {
    await this.check(dto);
    const a = Object.assign(new KbArticle(), {
      id: randomUUID(),
      title: dto.title,
      body: dto.body,
      categoryCodes: dto.categoryCodes ?? [],
      validFrom: dto.validFrom ?? null,
      validTo: dto.validTo ?? null,
      searchText: searchTokens(`${dto.title} ${dto.body}`).join(' '),
      createdBy: user.id,
    });
    await this.repo.insert(a);
    return toView(a);
  }

  /** An edit of title, body, categories or validity; the search words are cut again. */
  async update(id: string, dto: UpdateArticleDto): Promise<ArticleView> {
    const a = await this.repo.findById(id);
    if (!a) throw new NotFoundException(`no article ${id}`);
    const next = Object.assign(a, {
      ...(dto.title !== undefined ? { title: dto.title } : {}),
      ...(dto.body !== undefined ? { body: dto.body } : {}),
      ...(dto.categoryCodes !== undefined ? { categoryCodes: dto.categoryCodes } : {}),
      ...(dto.validFrom !== undefined ? { validFrom: dto.validFrom } : {}),
      ...(dto.validTo !== undefined ? { validTo: dto.validTo } : {}),
    });
    await this.check(next);
    next.searchText = searchTokens(`${next.title} ${next.body}`).join(' ');
    await this.repo.save(next);
    return toView(next);
  }

  /** The newest articles (valid today unless includeExpired): the knowledge screen before anything is typed. */
  async latest(limit: number, includeExpired = false): Promise<ArticleView[]> {
    return (await this.repo.latest(this.today(), includeExpired, limit)).map(toView);
  }

  async get(id: string): Promise<ArticleView> {
    const a = await this.repo.findById(id);
    if (!a) throw new NotFoundException(`no article ${id}`);
    return toView(a);
  }

  findValid(id: string, at: Date): Promise<KbArticle | null> {
    return this.repo.findValid(id, this.today(at));
  }

  async search(q: string, categoryCode: string | undefined, limit = 10, includeExpired = false): Promise<ArticleView[]> {
    const words = searchTokens(q).filter((w) => /^[\p{Script=Han}a-z0-9]+$/u.test(w));
    const rows = await this.repo.search(words, categoryCode ? rootOf(categoryCode) : null, this.today(), includeExpired, limit);
    return rows.map((r) => ({ ...toView(r), rank: Math.round(r.rank * 1000) / 1000 }));
  }
}

function toView(a: KbArticle): ArticleView {
  return { id: a.id, title: a.title, body: a.body, categoryCodes: a.categoryCodes, validFrom: a.validFrom, validTo: a.validTo };
}
