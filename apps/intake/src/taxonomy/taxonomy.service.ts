import { CategoryChangedV1 } from '@app/contracts';
import { CLOCK, Clock, FieldValidationException, Outbox, PgListener, referenceChannel, TransactionHost, TxHost } from '@app/platform';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { IntakeConfig } from '../intake.config';
import { INTAKE_CONFIG } from '../intake.tokens';
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

/**
 * The maintained taxonomy, cached in memory: it changes rarely and every submission reads it. The
 * `category` table announces every change, by anyone (migration TaxonomyAnnounced, on intake's
 * reference channel), and every replica reads the taxonomy again at each announcement, so a category
 * added, renamed or retired through another replica (or by SQL) is in force here at once. While the
 * process's LISTEN does not hold (not yet, or lost), the replica reads it every
 * TAXONOMY_RELOAD_SECONDS instead, and once when LISTEN holds again; and always at once when asked
 * for a category it does not hold active (`current`).
 *
 * A saved category is announced (`category.changed.v1`, in the save's transaction), so notify and
 * analytics name it as the console does; rows never announced (a deployment's categories from before
 * the event) are announced once when intake starts. Seed rows carry the shared catalogue's names,
 * which the consumers already know, and are not announced.
 */
@Injectable()
export class TaxonomyService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger(TaxonomyService.name);
  private byCode = new Map<string, Category>();
  /** The rows of the last read, as JSON: the listeners hear of a read only when they changed. */
  private read = '';
  /** Reads started, and the latest one applied (see `reload`). */
  private reads = 0;
  private applied = 0;
  private listeners: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repo: TaxonomyRepository,
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
    private readonly outbox: Outbox,
    @Inject(TransactionHost) private readonly txHost: TxHost,
    @Inject(CLOCK) private readonly clock: Clock,
    /** Absent (a test's module without the platform): the timer alone. */
    @Optional() private readonly listener?: PgListener,
  ) {}

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
          announced: true,
        }),
      ),
    );
    await this.announcePending();
    await this.reload();
    if (this.listener) {
      const again = () =>
        void this.reload().catch((e: Error) =>
          this.log.warn({ msg: 'taxonomy not read again; keeping the one in memory', err: e.message }),
        );
      // Every announcement on the channel reads again (intake's only announcing table is `category`).
      await this.listener.subscribe(referenceChannel(this.listener.schema), { notify: again, connected: again });
    }
    const every = this.config.TAXONOMY_RELOAD_SECONDS * 1000;
    if (every > 0) {
      this.timer = setInterval(() => {
        if (this.listener?.listening) return;
        this.reload().catch((e: Error) => this.log.warn({ msg: 'taxonomy not read again; keeping the one in memory', err: e.message }));
      }, every);
      this.timer.unref();
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /**
   * Read the taxonomy again; the listeners hear of it when a category changed. Of reads that overlap
   * (the timer's and a save's), one that started earlier never replaces one that started later.
   */
  async reload(): Promise<void> {
    const n = ++this.reads;
    const rows = await this.repo.all();
    if (n < this.applied) return;
    this.applied = n;
    const read = JSON.stringify(rows);
    this.byCode = new Map(rows.map((c) => [c.code, c]));
    if (read === this.read) return;
    this.read = read;
    this.listeners.forEach((l) => l());
  }

  /** Called after the taxonomy changes (the classifier rebuilds its keyword model). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * The category, for checking what a request names: when this replica does not hold it active, its
   * row is read (another replica may have just added, restored or retired it), and the whole taxonomy
   * again when that row is not the one held. An unknown code costs one read by primary key.
   */
  async current(code: string): Promise<Category | undefined> {
    const held = this.byCode.get(code);
    if (held?.active) return held;
    const row = await this.repo.find(code);
    if (row && JSON.stringify(row) !== JSON.stringify(held)) await this.reload();
    return this.byCode.get(code);
  }

  /** Whether the category is active, after `current`'s read on a miss. */
  async isActive(code: string): Promise<boolean> {
    return (await this.current(code))?.active === true;
  }

  find(code: string): Category | undefined {
    return this.byCode.get(code);
  }

  list(includeInactive = false): CategoryView[] {
    return [...this.byCode.values()].filter((c) => includeInactive || c.active).map(toView);
  }

  async save(dto: SaveCategoryDto): Promise<CategoryView> {
    const parent = parentOf(dto.code);
    if (parent && !(await this.current(parent))) {
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
      announced: true,
    });
    const at = this.clock.now();
    await this.txHost.withTransaction(async () => {
      await this.repo.save(row);
      await this.announce([row], at);
    });
    await this.reload();
    return toView(this.byCode.get(dto.code)!);
  }

  /** Announce the categories no event has named yet (see the class's comment). */
  async announcePending(): Promise<void> {
    await this.txHost.withTransaction(async () => {
      const rows = await this.repo.unannounced();
      if (!rows.length) return;
      await this.announce(rows, this.clock.now());
      await this.repo.markAnnounced(rows.map((r) => r.code));
      this.log.log({ msg: 'categories announced', count: rows.length });
    });
  }

  private async announce(rows: Category[], at: Date): Promise<void> {
    await this.outbox.publishMany(
      rows.map((r) => {
        const data: CategoryChangedV1 = { code: r.code, nameZh: r.nameZh, nameEn: r.nameEn, active: r.active, changedAt: at.toISOString() };
        return { type: 'category.changed.v1' as const, district: this.config.CITY_CODE, ticketId: null, occurredAt: at, data };
      }),
    );
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
