import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import { StorageService } from '../storage/storage.service.js';
import { StaffService } from './staff.service.js';
import { storeCases } from '../../test/support/postgres.js';

describe.each(storeCases)('StaffService (real $name)', (store) => {
  const values: Record<string, unknown> = {
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'kap-staff-')),
    STAFF_TOKEN_TTL_MINUTES: 60,
  };
  const config = { get: (key: string) => values[key] } as unknown as AppConfig;
  let storage: StorageService;
  let staff: StaffService;

  beforeAll(async () => {
    Object.assign(values, await store.config());
    storage = new StorageService(config);
    await storage.migrate();
    staff = new StaffService(storage, config);
    await staff.add('Nurse@Example.org ', 'oncall', 'first long password');
  });
  afterAll(() => storage.onApplicationShutdown());

  it('signs in with the right password only, and the token then names the account', async () => {
    expect(await staff.login('nurse@example.org', 'wrong password here')).toBeNull();
    expect(await staff.login('nobody@example.org', 'first long password')).toBeNull();
    const session = await staff.login('NURSE@example.org', 'first long password');
    expect(session?.member).toMatchObject({ email: 'nurse@example.org', role: 'oncall', disabled: false });
    expect(await staff.authenticate(session!.token)).toMatchObject({ email: 'nurse@example.org' });
    expect(await staff.authenticate('not-a-token')).toBeNull();
  });

  it('refuses a second account for the same email and short passwords', async () => {
    await expect(staff.add('nurse@example.org', 'admin', 'another long password')).rejects.toThrow(/already/);
    await expect(staff.add('new@example.org', 'admin', 'short')).rejects.toThrow(/12 characters/);
  });

  it('ends sessions on logout, on a new password and when the account is disabled', async () => {
    const a = (await staff.login('nurse@example.org', 'first long password'))!;
    await staff.logout(a.token);
    expect(await staff.authenticate(a.token)).toBeNull();

    const b = (await staff.login('nurse@example.org', 'first long password'))!;
    await staff.setPassword('nurse@example.org', 'second long password');
    expect(await staff.authenticate(b.token)).toBeNull();
    expect(await staff.login('nurse@example.org', 'first long password')).toBeNull();

    const c = (await staff.login('nurse@example.org', 'second long password'))!;
    await staff.disable('nurse@example.org');
    expect(await staff.authenticate(c.token)).toBeNull();
    expect(await staff.login('nurse@example.org', 'second long password')).toBeNull();
  });

  it('does not accept a token after it expires', async () => {
    await staff.add('short@example.org', 'oncall', 'a long password again');
    values.STAFF_TOKEN_TTL_MINUTES = -1;
    const expired = (await staff.login('short@example.org', 'a long password again'))!;
    values.STAFF_TOKEN_TTL_MINUTES = 60;
    expect(await staff.authenticate(expired.token)).toBeNull();
  });
});
