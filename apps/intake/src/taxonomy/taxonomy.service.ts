import { FieldValidationException } from '@app/platform';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { Category } from './category.entity';
import { SaveCategoryDto } from './category.dto';
import { TaxonomyRepository } from './taxonomy.repository';
import { parentOf, TAXONOMY_SEED } from './taxonomy.data';

export interface CategoryView {
  code: string;
  parentCode: string | null;
  level: number;
  nameZh: string;
  nameEn: string;
  keywords: string[];
  active: boolean;
}

/** The maintained taxonomy, cached in memory: it changes rarely and every submission reads it. */
@Injectable()
export class TaxonomyService implements OnModuleInit {
  private byCode = new Map<string, Category>();
  private listeners: (() => void)[] = [];

  constructor(private readonly repo: TaxonomyRepository) {}

  async onModuleInit(): Promise<void> {
    await this.repo.insertMissing(
      TAXONOMY_SEED.map((c) =>
        Object.assign(new Category(), {
          code: c.code,
          parentCode: parentOf(c.code),
          level: c.code.split('.').length,
          nameZh: c.zh,
          nameEn: c.en,
          keywords: c.keywords,
          active: true,
        }),
      ),
    );
    await this.reload();
  }

  async reload(): Promise<void> {
    this.byCode = new Map((await this.repo.all()).map((c) => [c.code, c]));
    this.listeners.forEach((l) => l());
  }

  /** Called after the taxonomy changes (the classifier rebuilds its keyword model). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  find(code: string): Category | undefined {
    return this.byCode.get(code);
  }

  isActive(code: string): boolean {
    return this.byCode.get(code)?.active === true;
  }

  list(includeInactive = false): CategoryView[] {
    return [...this.byCode.values()].filter((c) => includeInactive || c.active).map(toView);
  }

  async save(dto: SaveCategoryDto): Promise<CategoryView> {
    const parent = parentOf(dto.code);
    if (parent && !this.byCode.has(parent)) {
      throw new FieldValidationException([{ field: 'code', reason: `parent category ${parent} does not exist` }]);
    }
    const row = Object.assign(new Category(), {
      code: dto.code,
      parentCode: parent,
      level: dto.code.split('.').length,
      nameZh: dto.nameZh,
      nameEn: dto.nameEn,
      keywords: dto.keywords ?? this.byCode.get(dto.code)?.keywords ?? [],
      active: dto.active ?? true,
    });
    await this.repo.save(row);
    await this.reload();
    return toView(this.byCode.get(dto.code)!);
  }
}

function toView(c: Category): CategoryView {
  return {
    code: c.code,
    parentCode: c.parentCode,
    level: c.level,
    nameZh: c.nameZh,
    nameEn: c.nameEn,
    keywords: c.keywords,
    active: c.active,
  };
}
