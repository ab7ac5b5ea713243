/**
 * Staff accounts: `npm run staff -- add EMAIL --role oncall|editor|admin`, `list`, `disable EMAIL`,
 * `set-password EMAIL`. Passwords are read from standard input (typed without echo at a terminal,
 * or piped), never from the command line, where they would end up in shell history.
 */
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import 'reflect-metadata';
import { AppConfigModule } from '../config/config.module.js';
import { ROLES, StaffService, type Role } from '../staff/staff.service.js';
import { StorageModule } from '../storage/storage.module.js';

@Module({ imports: [AppConfigModule, StorageModule], providers: [StaffService] })
class StaffCliModule {}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let data = '';
    for await (const chunk of process.stdin) data += chunk;
    return data.split('\n')[0].replace(/\r$/, '');
  }
  let muted = false;
  const output = new Writable({ write: (chunk, _enc, done) => (muted ? done() : process.stdout.write(chunk, done)) });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const ask = (q: string) =>
    new Promise<string>((resolve) => {
      process.stdout.write(q);
      muted = true;
      rl.question('', (answer) => {
        muted = false;
        process.stdout.write('\n');
        resolve(answer);
      });
    });
  const first = await ask('Password: ');
  const second = await ask('Repeat password: ');
  rl.close();
  if (first !== second) throw new Error('The passwords do not match.');
  return first;
}

const usage = 'usage: npm run staff -- add EMAIL --role oncall|editor|admin | list | disable EMAIL | set-password EMAIL';
const [command, email, ...rest] = process.argv.slice(2);
const roleIndex = rest.indexOf('--role');
const role = roleIndex >= 0 ? rest[roleIndex + 1] : undefined;

try {
  const app = await NestFactory.createApplicationContext(StaffCliModule, { logger: ['error'] });
  const staff = app.get(StaffService);
  switch (command) {
    case 'add': {
      if (!email || !role || !(ROLES as readonly string[]).includes(role)) throw new Error(usage);
      const member = await staff.add(email, role as Role, await readPassword());
      process.stdout.write(`Added ${member.email} (${member.role}).\n`);
      break;
    }
    case 'list':
      for (const m of await staff.list()) process.stdout.write(`${m.email}\t${m.role}${m.disabled ? '\tdisabled' : ''}\n`);
      break;
    case 'disable':
      if (!email) throw new Error(usage);
      await staff.disable(email);
      process.stdout.write(`Disabled ${email} and ended its sessions.\n`);
      break;
    case 'set-password':
      if (!email) throw new Error(usage);
      await staff.setPassword(email, await readPassword());
      process.stdout.write(`Password changed for ${email}; its sessions were ended.\n`);
      break;
    default:
      throw new Error(usage);
  }
  await app.close();
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
