import type { Entry } from '../knowledge/entry.schema.js';
import { seededRandom } from '../learning/logistic.js';

/**
 * A corpus of `size` entries for benchmarks: the real entries first, then made-up ones whose phrasings
 * and bodies are drawn (seeded, so every run is the same) from the real corpus's own words, so that
 * questions share words with thousands of entries as they would in a large real corpus.
 */
export function syntheticCorpus(real: Entry[], size: number, seed = 7): Entry[] {
  const random = seededRandom(seed);
  const words = [...new Set(real.flatMap((e) => [e.question, ...e.alternates, e.body].join(' ').toLowerCase().match(/\p{L}{3,}/gu) ?? []))];
  const pick = (n: number) => Array.from({ length: n }, () => words[Math.floor(random() * words.length)]).join(' ');
  const out = real.slice(0, size);
  for (let i = out.length; i < size; i++) {
    const template = real[i % real.length];
    out.push({
      ...template,
      id: `synthetic-${i}`,
      question: `${pick(4 + Math.floor(random() * 5))}?`,
      alternates: Array.from({ length: 10 }, () => pick(3 + Math.floor(random() * 6))),
      tags: [pick(1), pick(1)],
      summary: pick(30),
      body: pick(150),
      html: '',
      related: [],
      file: `${template.locale}/synthetic-${i}.md`,
    });
  }
  return out;
}
