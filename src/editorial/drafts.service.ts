import { Inject, Injectable } from '@nestjs/common';
import { crossEntryProblems } from '../knowledge/corpus-loader.js';
import type { Entry, Locale } from '../knowledge/entry.schema.js';
import { CorpusStore, type EntryState, type Revision } from './corpus-store.js';
import { contentHash, validateContent, type EntryContent, type FieldError } from './entry-content.js';
import { renderEntryFile } from './entry-file.js';
import { LiveCorpus } from './live-corpus.service.js';

export type SaveOutcome =
  | { kind: 'saved'; revision: Revision; unchanged: boolean }
  | { kind: 'invalid'; errors: FieldError[] }
  /** `baseRevision` is not the entry's latest revision any more (null: the entry does not exist). */
  | { kind: 'stale'; head: Revision | null };

export interface DraftRequest {
  locale: Locale;
  entryId: string;
  /** The whole entry (front matter fields and body); null retires the entry. */
  entry: unknown;
  /** The revision the editor started from; null for a new entry. */
  baseRevision: number | null;
  authorId: string;
  note?: string;
}

class Stale extends Error {}

/**
 * Drafts: staff save a whole entry, validated with the corpus's schema (field-level errors), on top of
 * the revision they started from. A save based on anything but the latest revision is refused as
 * stale, so two editors never silently overwrite each other.
 */
@Injectable()
export class DraftsService {
  constructor(
    @Inject(CorpusStore) private readonly store: CorpusStore,
    @Inject(LiveCorpus) private readonly live: LiveCorpus,
  ) {}

  /** The entry's state and latest revision. */
  async head(locale: Locale, entryId: string): Promise<{ state: EntryState; head: Revision } | null> {
    const state = await this.store.state(locale, entryId);
    if (!state) return null;
    return { state, head: (await this.store.revision(state.head)) as Revision };
  }

  save(req: DraftRequest): Promise<SaveOutcome> {
    let content: EntryContent | null = null;
    if (req.entry !== null) {
      const validated = validateContent(req.entry, { id: req.entryId, locale: req.locale });
      if (!validated.ok) return Promise.resolve({ kind: 'invalid', errors: validated.errors });
      content = validated.content;
    }
    return this.live.serial(async () => {
      const current = await this.head(req.locale, req.entryId);
      if ((current?.state.head ?? null) !== req.baseRevision) return { kind: 'stale', head: current?.head ?? null };
      if (content) {
        const errors = await this.corpusErrors(content);
        if (errors.length) return { kind: 'invalid', errors };
      } else if (!current || current.head.content === null) {
        return { kind: 'invalid', errors: [{ path: 'entry', message: 'there is no entry to retire' }] };
      }
      if (current && current.head.contentHash === contentHash(content))
        return { kind: 'saved', revision: current.head, unchanged: true };
      try {
        const revision = await this.write(req, content, current);
        return { kind: 'saved', revision, unchanged: false };
      } catch (err) {
        if (err instanceof Stale) return { kind: 'stale', head: (await this.head(req.locale, req.entryId))?.head ?? null };
        throw err;
      }
    });
  }

  private write(
    req: DraftRequest,
    content: EntryContent | null,
    current: { state: EntryState; head: Revision } | null,
  ): Promise<Revision> {
    const at = new Date().toISOString();
    return this.store.transaction(async (trx) => {
      const revision = await this.store.addRevision(trx, {
        locale: req.locale,
        entryId: req.entryId,
        parent: current?.head ?? null,
        kind: 'edit',
        content,
        source: content ? renderEntryFile(content, await this.nearestSource(current?.head ?? null)) : null,
        note: req.note ?? null,
        authorId: req.authorId,
        at,
      });
      if (!current) {
        await this.store.insertState(
          trx,
          { locale: req.locale, entryId: req.entryId, head: revision.id, live: null, baseline: null, baselineHash: null },
          at,
        );
      } else if (!(await this.store.moveEntry(trx, req.locale, req.entryId, current.state.head, { head: revision.id }, at))) {
        throw new Stale();
      }
      return revision;
    });
  }

  /** The file of the closest revision that has one (a retired entry's previous file), to edit it in place. */
  private async nearestSource(revision: Revision | null): Promise<string | null> {
    let r = revision;
    while (r && r.source === null && r.parentId !== null) r = (await this.store.revision(r.parentId)) ?? null;
    return r?.source ?? null;
  }

  /**
   * The rules that need the other entries, as the corpus loader applies them: related entries exist,
   * no phrasing is shared with another entry. Checked against every other entry's latest revision.
   */
  private async corpusErrors(content: EntryContent): Promise<FieldError[]> {
    const states = (await this.store.states(undefined, content.locale)).filter((s) => s.entryId !== content.id);
    const heads = await this.store.revisionsByIds(states.map((s) => s.head));
    const file = `${content.locale}/${content.id}.md`;
    const asEntry = (c: EntryContent): Entry => ({ ...c, html: '', file: `${c.locale}/${c.id}.md` });
    const others = [...heads.values()].flatMap((r) => (r.content ? [asEntry(r.content)] : []));
    // This entry last: a phrasing it shares with another entry is reported on this one.
    return crossEntryProblems([...others, asEntry(content)])
      .filter((p) => p.file === file)
      .map((p) => ({ path: p.field ? `entry.${p.field}` : 'entry', message: p.message }));
  }
}
