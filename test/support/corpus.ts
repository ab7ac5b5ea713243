import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/paths.js';

/**
 * A knowledge folder with only some of the shipped entries, in English and Spanish (related ids outside the set
 * dropped), the real synonyms, reply texts and lexicons: a corpus small enough that publishing (which
 * runs every phrasing through the pipeline twice) takes a fraction of a second in tests.
 */
export function smallKnowledge(ids: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kap-knowledge-'));
  cpSync(path.join(projectRoot, 'knowledge'), dir, { recursive: true });
  // The same entries in every language (the Spanish corpus mirrors the English one, id for id).
  for (const locale of ['en', 'es']) {
    rmSync(path.join(dir, locale), { recursive: true });
    cpSync(path.join(projectRoot, 'knowledge', locale), path.join(dir, locale), {
      recursive: true,
      filter: (src) => !src.endsWith('.md') || ids.includes(path.basename(src, '.md')),
    });
    for (const id of ids) {
      const file = path.join(dir, locale, `${id}.md`);
      const text = readFileSync(file, 'utf8').replace(/^related: \[(.*)\]$/m, (_, list: string) => {
        const kept = list
          .split(',')
          .map((s) => s.trim())
          .filter((s) => ids.includes(s));
        return `related: [${kept.join(', ')}]`;
      });
      writeFileSync(file, text);
    }
  }
  return dir;
}

/** The staff API over HTTP with a bearer token (or a cookie, for the CSRF tests). */
export function staffApi(url: string, token: string) {
  const call = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`${url}/api${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return {
    get: (route: string) => call('GET', route),
    put: (route: string, body: unknown) => call('PUT', route, body),
    post: (route: string, body: unknown = {}) => call('POST', route, body),
    delete: (route: string) => call('DELETE', route),
  };
}
