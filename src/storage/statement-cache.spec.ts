import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { withStatementCache } from './statement-cache.js';

describe('the statement cache under Kysely', () => {
  it('prepares each SQL text once, gives the same results, and still closes the database', async () => {
    const sqlite = new Sqlite(':memory:');
    let prepared = 0;
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((sql: string) => {
      prepared++;
      return prepare(sql);
    }) as typeof sqlite.prepare;
    const db = new Kysely<{ t: { id: number; name: string } }>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    await db.schema.createTable('t').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('name', 'text').execute();
    for (let i = 0; i < 20; i++) await db.insertInto('t').values({ id: i, name: `n${i}` }).execute();
    // A schema change after statements were kept: SQLite re-prepares them itself.
    await db.schema.alterTable('t').addColumn('extra', 'text').execute();
    const rows = await db.selectFrom('t').select(['id', 'name']).where('id', '<', 3).orderBy('id').execute();
    expect(rows).toEqual([{ id: 0, name: 'n0' }, { id: 1, name: 'n1' }, { id: 2, name: 'n2' }]);
    expect(prepared).toBe(4); // create, insert, alter, select
    await db.destroy();
    expect(sqlite.open).toBe(false);
  });
});
