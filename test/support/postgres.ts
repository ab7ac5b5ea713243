import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The test run's PostgreSQL (started by test/global-setup.mjs), or undefined when it could not be. */
export const testDatabaseServer = process.env.KAP_TEST_DATABASE_URL;

/** A new, empty database on the test run's PostgreSQL; returns its URL. */
export async function freshDatabase(prefix = 'kap'): Promise<string> {
  if (!testDatabaseServer) throw new Error('no test PostgreSQL (see test/support/services.mjs)');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: testDatabaseServer });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(testDatabaseServer);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Where a store's tests run: the embedded SQLite always, PostgreSQL when the test run has one. */
export interface StoreCase {
  name: 'SQLite' | 'PostgreSQL';
  /** Configuration values for the store (DATABASE_URL for PostgreSQL: a new database each call). */
  config(): Promise<{ DATABASE_URL?: string }>;
}

export const storeCases: StoreCase[] = [
  { name: 'SQLite', config: async () => ({}) },
  ...(testDatabaseServer ? [{ name: 'PostgreSQL' as const, config: async () => ({ DATABASE_URL: await freshDatabase() }) }] : []),
];

if (!testDatabaseServer && process.env.KAP_REQUIRE_SCALE_TESTS === '1')
  throw new Error('KAP_REQUIRE_SCALE_TESTS=1 but the test run has no PostgreSQL');
