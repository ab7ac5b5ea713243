import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import type { StaffTable } from '../storage/schema.js';
import { StorageService } from '../storage/storage.service.js';
import { hashPassword, passwordProblem, verifyPassword } from './password.js';

export const ROLES = ['oncall', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface StaffMember {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
}

/** A signed-in session, as the /staff gateway tracks it. */
export interface StaffSession {
  member: StaffMember;
  tokenHash: string;
  expiresAt: string;
}

/** Sessions that just ended: one token's (logout), or all of a member's (disabled, new password). */
export type SessionsEnded = { tokenHash: string } | { staffId: string };

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
const toMember = (row: StaffTable): StaffMember => ({
  id: row.id,
  email: row.email,
  role: row.role,
  disabled: row.disabled === 1,
});

/**
 * Staff accounts and their sign-in tokens. Tokens are random, short-lived (STAFF_TOKEN_TTL_MINUTES)
 * and revocable; only their SHA-256 is stored, so a copy of the database cannot be used to sign in.
 */
@Injectable()
export class StaffService {
  // The same work for an unknown email as for a wrong password, so timing does not reveal accounts.
  private readonly dummyHash = hashPassword(randomUUID());
  private readonly endedListeners: Array<(ended: SessionsEnded) => void> = [];

  /** Called when sessions end in this process, so open connections of theirs close at once. */
  onSessionsEnded(listener: (ended: SessionsEnded) => void): void {
    this.endedListeners.push(listener);
  }

  private ended(ended: SessionsEnded): void {
    for (const listener of this.endedListeners) listener(ended);
  }

  constructor(
    @Inject(StorageService) private readonly storage: StorageService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async add(email: string, role: Role, password: string): Promise<StaffMember> {
    assertAcceptable(password);
    const now = new Date().toISOString();
    const row: StaffTable = {
      id: randomUUID(),
      email: normalizeEmail(email),
      role,
      password_hash: await hashPassword(password),
      disabled: 0,
      created_at: now,
      updated_at: now,
    };
    if (await this.byEmail(row.email)) throw new Error(`${row.email} already has an account.`);
    await this.storage.db.insertInto('staff').values(row).execute();
    return toMember(row);
  }

  async list(): Promise<StaffMember[]> {
    return (await this.storage.db.selectFrom('staff').selectAll().orderBy('email').execute()).map(toMember);
  }

  /** Every account's id and email (disabled ones too: their past actions still name them). */
  async directory(): Promise<Array<{ id: string; email: string }>> {
    return (await this.storage.db.selectFrom('staff').select(['id', 'email']).orderBy('email').execute()).map((r) => ({
      id: r.id,
      email: r.email,
    }));
  }

  async disable(email: string): Promise<void> {
    const member = await this.requireEmail(email);
    const now = new Date().toISOString();
    await this.storage.db.updateTable('staff').set({ disabled: 1, updated_at: now }).where('id', '=', member.id).execute();
    await this.revokeSessions(member.id, now);
  }

  async setPassword(email: string, password: string): Promise<void> {
    assertAcceptable(password);
    const member = await this.requireEmail(email);
    const now = new Date().toISOString();
    await this.storage.db
      .updateTable('staff')
      .set({ password_hash: await hashPassword(password), updated_at: now })
      .where('id', '=', member.id)
      .execute();
    // A new password signs out every existing session.
    await this.revokeSessions(member.id, now);
  }

  private async revokeSessions(staffId: string, at: string): Promise<void> {
    await this.storage.db
      .updateTable('staff_sessions')
      .set({ revoked_at: at })
      .where('staff_id', '=', staffId)
      .where('revoked_at', 'is', null)
      .execute();
    this.ended({ staffId });
  }

  /** Checks a password and opens a session; null for any failure (never says which part was wrong). */
  async login(email: string, password: string): Promise<{ token: string; member: StaffMember; expiresAt: string } | null> {
    const row = await this.storage.db
      .selectFrom('staff')
      .selectAll()
      .where('email', '=', normalizeEmail(email))
      .executeTakeFirst();
    const ok = await verifyPassword(password, row?.password_hash ?? (await this.dummyHash));
    if (!row || !ok || row.disabled) return null;
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.get('STAFF_TOKEN_TTL_MINUTES') * 60_000).toISOString();
    await this.storage.db
      .insertInto('staff_sessions')
      .values({
        token_hash: tokenHash(token),
        staff_id: row.id,
        created_at: now.toISOString(),
        expires_at: expiresAt,
        revoked_at: null,
      })
      .execute();
    return { token, member: toMember(row), expiresAt };
  }

  /** The staff member a token belongs to, if it is current, not revoked, and the account is enabled. */
  async authenticate(token: string | undefined): Promise<StaffMember | null> {
    return (await this.session(token))?.member ?? null;
  }

  /** The session a token opens, if it is current, not revoked, and the account is enabled. */
  async session(token: string | undefined): Promise<StaffSession | null> {
    if (!token) return null;
    const row = await this.storage.db
      .selectFrom('staff_sessions')
      .innerJoin('staff', 'staff.id', 'staff_sessions.staff_id')
      .selectAll('staff')
      .select(['staff_sessions.expires_at', 'staff_sessions.revoked_at'])
      .where('staff_sessions.token_hash', '=', tokenHash(token))
      .executeTakeFirst();
    if (!row || row.revoked_at || row.disabled || row.expires_at <= new Date().toISOString()) return null;
    return { member: toMember(row), tokenHash: tokenHash(token), expiresAt: row.expires_at };
  }

  async logout(token: string): Promise<void> {
    await this.storage.db
      .updateTable('staff_sessions')
      .set({ revoked_at: new Date().toISOString() })
      .where('token_hash', '=', tokenHash(token))
      .execute();
    this.ended({ tokenHash: tokenHash(token) });
  }

  private async byEmail(email: string): Promise<StaffTable | undefined> {
    return this.storage.db.selectFrom('staff').selectAll().where('email', '=', email).executeTakeFirst();
  }

  private async requireEmail(email: string): Promise<StaffMember> {
    const row = await this.byEmail(normalizeEmail(email));
    if (!row) throw new Error(`No account for ${email}.`);
    return toMember(row);
  }
}

function assertAcceptable(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new Error(`The password ${problem}.`);
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
