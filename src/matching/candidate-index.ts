import { Document } from 'flexsearch';
import type { LexicalDocument } from './lexical-index.js';

type Field = { id: number; question: string; alternates: string; tags: string; body: string };

/** How many candidates flexsearch proposes for the lexical score to rank. */
const CANDIDATE_LIMIT = 100;

/**
 * Candidate generation by flexsearch, for very large corpora (MatchOptions.candidateIndexFrom). flexsearch
 * ranks by term position and gives no scores: it only proposes candidates, which the lexical score and
 * the classifier then rank. `npm run bench` measures it against the lexical index's own inverted lists,
 * which were faster at every size measured (1,000 and 10,000 entries), so it is not built by default.
 */
export class CandidateIndex {
  private readonly index: Document<Field>;

  constructor(documents: LexicalDocument[]) {
    // Text arrives already analysed (normalised, stemmed, synonyms replaced): flexsearch only splits it.
    const encode = (s: string) => s.split(' ').filter(Boolean);
    this.index = new Document<Field>({
      document: {
        id: 'id',
        index: [
          { field: 'question', tokenize: 'strict', encode },
          { field: 'alternates', tokenize: 'strict', encode },
          { field: 'tags', tokenize: 'strict', encode },
          { field: 'body', tokenize: 'strict', encode },
        ],
      },
    });
    documents.forEach((d, id) =>
      this.index.add({
        id,
        question: d.question.join(' '),
        alternates: d.alternates.map((a) => a.join(' ')).join(' '),
        tags: d.tags.join(' '),
        body: d.body.join(' '),
      }),
    );
  }

  /** Indices of the entries flexsearch finds for the question's tokens. */
  search(tokens: string[]): number[] {
    if (tokens.length === 0) return [];
    const hits = this.index.search({ query: [...new Set(tokens)].join(' '), suggest: true, limit: CANDIDATE_LIMIT, merge: true });
    return hits.map((hit) => Number(hit.id));
  }
}
