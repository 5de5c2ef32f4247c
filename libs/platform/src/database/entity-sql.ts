import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';

/**
 * Plain SQL over a TypeORM entity, for the statements a consumer runs for every message: a whole row
 * read into the entity, or written from it, without the QueryBuilder (its alias and property-name
 * rewriting was the largest part of dispatch's CPU per order). The columns, their names and their
 * conversions stay the entity's own: its metadata and the driver's `prepareHydratedValue` /
 * `preparePersistentValue`, read once per entity, so there is no second column list to keep in step.
 */
export class EntitySql<T extends ObjectLiteral> {
  private static readonly cache = new WeakMap<EntityMetadata, EntitySql<ObjectLiteral>>();

  /** The table, unqualified: it resolves to the service's own schema (search_path, database-options.ts), as all raw SQL here. */
  readonly table: string;
  private readonly key: ColumnMetadata;
  private readonly updateDate?: ColumnMetadata;
  /** Every column but the key and the update date: what `update` writes. */
  private readonly writable: ColumnMetadata[];
  /** What a read returns: the columns TypeORM selects by default. */
  private readonly selected: ColumnMetadata[];

  private constructor(private readonly meta: EntityMetadata) {
    if (meta.primaryColumns.length !== 1) throw new Error(`EntitySql: ${meta.name} must have a single-column key`);
    this.table = `"${meta.tableName}"`;
    this.key = meta.primaryColumns[0];
    this.updateDate = meta.columns.find((c) => c.isUpdateDate);
    this.writable = meta.columns.filter((c) => !c.isPrimary && !c.isUpdateDate);
    this.selected = meta.columns.filter((c) => c.isSelect);
  }

  static of<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>): EntitySql<T> {
    const meta = manager.connection.getMetadata(target);
    let sql = EntitySql.cache.get(meta);
    if (!sql) EntitySql.cache.set(meta, (sql = new EntitySql(meta)));
    return sql as unknown as EntitySql<T>;
  }

  /**
   * `alias."col" AS "alias.col", …`: every column TypeORM selects (not those marked `select: false`),
   * named so that `hydrate(row, alias)` finds it.
   */
  columns(alias: string): string {
    return this.selected.map((c) => `${alias}."${c.databaseName}" AS "${alias}.${c.databaseName}"`).join(', ');
  }

  /** The entity from a row read with `columns(alias)`. */
  hydrate(manager: EntityManager, row: Record<string, unknown>, alias: string): T {
    const entity = this.meta.create() as T;
    for (const c of this.selected) {
      c.setEntityValue(entity, manager.connection.driver.prepareHydratedValue(row[`${alias}.${c.databaseName}`], c));
    }
    return entity;
  }

  /**
   * The rows `WHERE <where>` (the table's alias is `t`; `$1…` are `params`), then `tail` (ORDER BY,
   * LIMIT, FOR UPDATE…), as entities.
   */
  async find(manager: EntityManager, where: string, params: unknown[], tail = ''): Promise<T[]> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT ${this.columns('t')} FROM ${this.table} t WHERE ${where} ${tail}`,
      params,
    );
    return rows.map((r) => this.hydrate(manager, r, 't'));
  }

  /** The first row `find` gives, or null. */
  async findOne(manager: EntityManager, where: string, params: unknown[], tail = ''): Promise<T | null> {
    return (await this.find(manager, where, params, `${tail} LIMIT 1`))[0] ?? null;
  }

  /**
   * Inserts the entity's row: every column it holds a value for (undefined takes the column's default,
   * as TypeORM's insert did). `ifAbsent`: a row that would break a unique constraint is skipped (ON
   * CONFLICT DO NOTHING; `conflictOn`: only that constraint's columns). True if a row was written.
   */
  async insert(manager: EntityManager, entity: T, opts: { ifAbsent?: boolean; conflictOn?: string[] } = {}): Promise<boolean> {
    return (await this.insertAll(manager, [entity], opts)).length > 0;
  }

  /**
   * `insert` for several rows in one statement (in the order given). They must hold values for the
   * same columns (one column list). Returns the entities written: with `ifAbsent`, those skipped are
   * not among them.
   */
  async insertAll(manager: EntityManager, entities: readonly T[], opts: { ifAbsent?: boolean; conflictOn?: string[] } = {}): Promise<T[]> {
    if (!entities.length) return [];
    const driver = manager.connection.driver;
    const { sql, params } = this.insertStatement(manager, entities, opts);
    const rows: Record<string, unknown>[] = await manager.query(`${sql} RETURNING "${this.key.databaseName}" AS inserted`, params);
    const keyOf = (e: T) => String(driver.preparePersistentValue(this.key.getEntityValue(e), this.key));
    const written = new Set(rows.map((r) => String(r.inserted)));
    return entities.filter((e) => written.has(keyOf(e)));
  }

  /**
   * The INSERT `insertAll` runs, as text and parameters, not run: for a caller that writes it with
   * other statements in one (`Outbox.publishWith`). Without `ifAbsent`, a row that breaks a unique
   * constraint fails the statement (`isUniqueViolation`).
   */
  insertStatement(
    manager: EntityManager,
    entities: readonly T[],
    opts: { ifAbsent?: boolean; conflictOn?: string[] } = {},
  ): { sql: string; params: unknown[] } {
    const driver = manager.connection.driver;
    const given = this.meta.columns.filter((c) => c.getEntityValue(entities[0]) !== undefined);
    if (entities.some((e) => this.meta.columns.some((c) => (c.getEntityValue(e) !== undefined) !== given.includes(c)))) {
      throw new Error(`EntitySql.insertStatement: every ${this.meta.name} must hold values for the same columns`);
    }
    const values = entities.map((_, r) => `(${given.map((_, i) => `$${r * given.length + i + 1}`).join(', ')})`);
    return {
      sql: `INSERT INTO ${this.table} (${given.map((c) => `"${c.databaseName}"`).join(', ')})
       VALUES ${values.join(', ')}${this.onConflict(opts)}`,
      params: entities.flatMap((e) => given.map((c) => driver.preparePersistentValue(c.getEntityValue(e), c) as unknown)),
    };
  }

  private onConflict(opts: { ifAbsent?: boolean; conflictOn?: string[] }): string {
    if (!opts.ifAbsent) return '';
    return opts.conflictOn ? ` ON CONFLICT (${opts.conflictOn.map((c) => `"${c}"`).join(', ')}) DO NOTHING` : ' ON CONFLICT DO NOTHING';
  }

  /** The row with this key, locked `FOR UPDATE` for the rest of the transaction; null when there is none. */
  async lock(manager: EntityManager, key: unknown): Promise<T | null> {
    return (await this.find(manager, `t."${this.key.databaseName}" = $1`, [key], 'FOR UPDATE'))[0] ?? null;
  }

  /**
   * Writes the entity's row as it is now, in one UPDATE by its key: every column it holds a value for
   * (undefined keeps the stored one, as TypeORM's `save` did), the update-date column set to the
   * database's time and read back into the entity. The row must exist (TypeORM's `save` read it first to
   * choose between INSERT and UPDATE: a second statement).
   */
  async update(manager: EntityManager, entity: T): Promise<void> {
    const driver = manager.connection.driver;
    const given = this.writable.filter((c) => c.getEntityValue(entity) !== undefined);
    const set = given.map((c, i) => `"${c.databaseName}" = $${i + 2}`);
    if (this.updateDate) set.push(`"${this.updateDate.databaseName}" = now()`);
    // TypeORM answers an UPDATE's query() with [rows, affected count].
    const [rows]: [Record<string, unknown>[], number] = await manager.query(
      `UPDATE ${this.table} SET ${set.join(', ')} WHERE "${this.key.databaseName}" = $1` +
        (this.updateDate ? ` RETURNING "${this.updateDate.databaseName}" AS updated` : ' RETURNING 1 AS updated'),
      [this.key.getEntityValue(entity), ...given.map((c) => driver.preparePersistentValue(c.getEntityValue(entity), c) as unknown)],
    );
    if (rows.length !== 1) throw new Error(`${this.meta.tableName} ${String(this.key.getEntityValue(entity))} is not there to update`);
    if (this.updateDate) this.updateDate.setEntityValue(entity, driver.prepareHydratedValue(rows[0].updated, this.updateDate));
  }
}

/** Whether `e` is Postgres's unique violation (23505), of `constraint` when one is named. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = ((e as { driverError?: unknown })?.driverError ?? e) as { code?: string; constraint?: string } | undefined;
  return err?.code === '23505' && (constraint === undefined || err.constraint === constraint);
}
