import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Transaction } from 'kysely';
import { buildCorpus, formatProblems, type Corpus } from '../knowledge/corpus-loader.js';
import type { Locale } from '../knowledge/entry.schema.js';
import type { Database } from '../storage/schema.js';
import { CorpusStore, type EntryState, type Revision } from './corpus-store.js';
import { contentHash, contentOf, toEntry } from './entry-content.js';
import { renderEntryFile } from './entry-file.js';

/** What one baseline import did, by `locale/id`. */
export interface ImportReport {
  /** New entries (published: they come from the reviewed baseline). */
  added: string[];
  /** Changed entries whose live revision came from the previous baseline: published at once. */
  published: string[];
  /** Changed entries that staff edited since the previous baseline: a draft to review. */
  drafts: string[];
  /** Entries gone from the baseline: retired (or a retirement draft, if staff edited them). */
  retired: string[];
  retirementDrafts: string[];
  /** The baseline now says what the store already has (an export that was committed): nothing new. */
  reconciled: string[];
  unchanged: number;
}

export class ImportRefused extends Error {}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Records a reviewed baseline (the knowledge/ files) in the store. Every entry whose file differs from
 * the one last imported becomes a new revision: published where the live revision came from the
 * previous baseline (nobody edited it since), a draft to review where staff have edited the entry
 * since. All or nothing: when the live corpus that would result is not valid as a whole, nothing is
 * written and the problems are thrown.
 */
@Injectable()
export class BaselineImport {
  constructor(@Inject(CorpusStore) private readonly store: CorpusStore) {}

  run(baseline: Corpus, at = new Date().toISOString()): Promise<ImportReport> {
    return this.store.transaction(async (trx) => {
      const report = await this.apply(trx, baseline, at);
      const live = await this.store.live(trx);
      const check = buildCorpus(
        live.map((l) => toEntry(l.content)),
        baseline.synonyms,
        'check',
      );
      if (!check.ok)
        throw new ImportRefused(`the live corpus would be invalid after this import:\n${formatProblems(check.problems)}`);
      return report;
    });
  }

  private async apply(trx: Transaction<Database>, baseline: Corpus, at: string): Promise<ImportReport> {
    const report: ImportReport = {
      added: [],
      published: [],
      drafts: [],
      retired: [],
      retirementDrafts: [],
      reconciled: [],
      unchanged: 0,
    };
    const states = new Map((await this.store.states(trx)).map((s) => [`${s.locale}/${s.entryId}`, s]));
    const heads = await this.store.revisionsByIds(
      [...states.values()].map((s) => s.head),
      trx,
    );
    const seen = new Set<string>();

    for (const entry of baseline.entries) {
      const key = `${entry.locale}/${entry.id}`;
      seen.add(key);
      const content = contentOf(entry);
      const text = baseline.files?.get(entry.file) ?? renderEntryFile(content);
      const hash = sha256(text);
      const state = states.get(key);
      if (!state) {
        const rev = await this.store.addRevision(trx, {
          locale: entry.locale,
          entryId: entry.id,
          parent: null,
          kind: 'baseline',
          content,
          source: text,
          note: `from ${entry.file}`,
          authorId: null,
          at,
          published: { by: null },
        });
        await this.store.insertState(
          trx,
          { locale: entry.locale, entryId: entry.id, head: rev.id, live: rev.id, baseline: rev.id, baselineHash: hash },
          at,
        );
        report.added.push(key);
        continue;
      }
      if (state.baselineHash === hash) {
        report.unchanged++;
        continue;
      }
      const head = heads.get(state.head) as Revision;
      if (head.contentHash === contentHash(content)) {
        await this.move(trx, state, { baseline: head.id, baselineHash: hash }, at);
        report.reconciled.push(key);
        continue;
      }
      const untouched = isUntouched(state);
      const rev = await this.store.addRevision(trx, {
        locale: entry.locale,
        entryId: entry.id,
        parent: head,
        kind: 'baseline',
        content,
        source: text,
        note: `from ${entry.file}`,
        authorId: null,
        at,
        published: untouched ? { by: null } : undefined,
      });
      await this.move(
        trx,
        state,
        { head: rev.id, baseline: rev.id, baselineHash: hash, ...(untouched ? { live: rev.id } : {}) },
        at,
      );
      (untouched ? report.published : report.drafts).push(key);
    }

    // Entries that came from the baseline and are no longer in it.
    for (const [key, state] of states) {
      if (seen.has(key) || state.baselineHash === null) continue;
      const head = heads.get(state.head) as Revision;
      const untouched = isUntouched(state);
      if (head.content === null) {
        await this.move(trx, state, { baseline: head.id, baselineHash: null }, at);
        continue;
      }
      const rev = await this.store.addRevision(trx, {
        locale: state.locale as Locale,
        entryId: state.entryId,
        parent: head,
        kind: 'baseline',
        content: null,
        source: null,
        note: 'removed from the baseline',
        authorId: null,
        at,
        published: untouched ? { by: null } : undefined,
      });
      await this.move(
        trx,
        state,
        { head: rev.id, baseline: rev.id, baselineHash: null, ...(untouched ? { live: rev.id } : {}) },
        at,
      );
      (untouched ? report.retired : report.retirementDrafts).push(key);
    }
    return report;
  }

  private async move(trx: Transaction<Database>, state: EntryState, set: Parameters<CorpusStore['moveEntry']>[4], at: string) {
    if (!(await this.store.moveEntry(trx, state.locale, state.entryId, state.head, set, at))) {
      throw new ImportRefused(`${state.locale}/${state.entryId} changed while the baseline was being imported; try again`);
    }
  }
}

/** Nobody has touched the entry since the last baseline: it is live as imported, with no draft on top. */
function isUntouched(state: EntryState): boolean {
  return state.live !== null && state.live === state.baseline && state.head === state.live;
}

export function summarizeImport(r: ImportReport): string {
  const parts = [
    r.added.length && `${r.added.length} added`,
    r.published.length && `${r.published.length} updated and published (${r.published.join(', ')})`,
    r.drafts.length && `${r.drafts.length} changed where staff had edited: drafts to review (${r.drafts.join(', ')})`,
    r.retired.length && `${r.retired.length} retired (${r.retired.join(', ')})`,
    r.retirementDrafts.length &&
      `${r.retirementDrafts.length} removed where staff had edited: retirement drafts to review (${r.retirementDrafts.join(', ')})`,
    r.reconciled.length && `${r.reconciled.length} already as in the store (${r.reconciled.join(', ')})`,
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'no changes';
}
