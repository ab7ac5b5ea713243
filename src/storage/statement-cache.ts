import type Sqlite from 'better-sqlite3';

/** Enough for every query the app writes; a query built with a varying shape cannot grow it for ever. */
const MAX_STATEMENTS = 500;

/**
 * The database as Kysely's SQLite dialect sees it, with each prepared statement kept for its SQL text.
 * The dialect prepares a statement for every query it runs, and preparing cost more CPU per visitor
 * message than everything else the store does. Safe because the app never streams a query (a statement
 * being iterated cannot run again until it is done); SQLite re-prepares a kept statement by itself when
 * a migration changes the schema.
 */
export function withStatementCache(db: Sqlite.Database): Sqlite.Database {
  const statements = new Map<string, Sqlite.Statement>();
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'prepare') {
        const value = Reflect.get(target, property, receiver);
        // Native methods must be called on the database itself, not on this proxy.
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (sql: string) => {
        let statement = statements.get(sql);
        if (!statement) {
          statement = target.prepare(sql);
          if (statements.size >= MAX_STATEMENTS) statements.clear();
          statements.set(sql, statement);
        }
        return statement;
      };
    },
  });
}
