import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

/** Reads a JSON Lines fixture. */
export function readJsonl<T = Record<string, unknown>>(name: string): T[] {
  return readFileSync(path.join(fixturesDir, name), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

export function readLines(name: string): string[] {
  return readFileSync(path.join(fixturesDir, name), 'utf8').split('\n').filter(Boolean);
}

export interface RiskSample {
  text: string;
  expectRisk: string[];
  expectKind?: string;
  lang?: string;
}
