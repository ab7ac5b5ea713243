import type { Analysis } from './analyzer.js';

/**
 * The learned matcher's features of a text, as 32-bit hashes (never strings kept in memory):
 * - its tokens (stemmed, synonyms replaced, stop words dropped) and pairs of neighbouring tokens;
 * - character 3-, 4- and 5-grams of each token, padded with a space at each end, so that typos and
 *   word forms the stemmer misses still share most features. Stop words give none: from them the
 *   classifier learned the style of an entry's alternates ("am I talking to a...") rather than its topic.
 */

const FNV_PRIME = 0x01000193;
const SEED_TOKEN = 0x811c9dc5;
const SEED_PAIR = 0x050c5d1f;
const SEED_CHARS = 0x1b873593;

function hashString(seed: number, s: string): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

const MIN_GRAM = 3;
const MAX_GRAM = 5;

export function featureHashes(analysis: Pick<Analysis, 'tokens'>): Int32Array {
  const out: number[] = [];
  const { tokens } = analysis;
  for (let i = 0; i < tokens.length; i++) {
    out.push(hashString(SEED_TOKEN, tokens[i]) | 0);
    if (i > 0) out.push(hashString(Math.imul(hashString(SEED_PAIR, tokens[i - 1]) ^ 0x20, FNV_PRIME), tokens[i]) | 0);
  }
  for (const token of tokens) {
    const padded = ` ${token} `;
    for (let start = 0; start + MIN_GRAM <= padded.length; start++) {
      let h = SEED_CHARS;
      for (let k = 0; k < MAX_GRAM && start + k < padded.length; k++) {
        h = Math.imul(h ^ padded.charCodeAt(start + k), FNV_PRIME);
        // The length is mixed in so a 3-gram and a 4-gram never share a hash by construction.
        if (k + 1 >= MIN_GRAM) out.push(Math.imul(h ^ (k + 1), FNV_PRIME) | 0);
      }
    }
  }
  const sorted = Int32Array.from(out).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i];
  return sorted.slice(0, n);
}
