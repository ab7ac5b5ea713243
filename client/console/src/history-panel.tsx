import type { Revision } from './editor-protocol.js';
import { FIELD_LABELS } from './field-errors.js';
import { formatDateTime } from './format.js';

const KIND_TEXT: Record<Revision['kind'], string> = {
  baseline: 'Imported from the knowledge/ folder',
  edit: 'Edited',
  publish: 'Published (review dates set)',
};

/** "Answer, Other phrasings"; "Retired" for a revision that retires the entry or brings it back. */
export function changedText(changes: string[]): string {
  if (!changes.length) return 'nothing else';
  return changes.map((c) => (c === 'retired' ? 'retired or brought back' : (FIELD_LABELS[c] ?? c))).join(', ');
}

/** The entry's revisions, newest first: who, when, what changed, and which one is live. */
export function HistoryPanel({ revisions, error }: { revisions: Revision[] | null; error: string | null }) {
  return (
    <section class="panel history" aria-labelledby="history-title">
      <h2 id="history-title">Revision history</h2>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {!revisions ? (
        !error && <p class="empty">Loading the history…</p>
      ) : (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="history-title">
          <table class="data">
            <caption class="visually-hidden">Revisions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Revision</th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What changed</th>
              </tr>
            </thead>
            <tbody>
              {revisions.map((r) => (
                <tr key={r.revision} class={r.live ? 'live' : undefined}>
                  <th scope="row">
                    #{r.number}
                    {r.live && <strong class="live-mark"> (live)</strong>}
                    {r.head && !r.live && <span class="head-mark"> (latest)</span>}
                  </th>
                  <td>
                    <time dateTime={r.createdAt}>{formatDateTime(r.createdAt)}</time>
                  </td>
                  <td>{r.author?.email ?? (r.kind === 'baseline' ? 'knowledge/ folder' : 'someone')}</td>
                  <td>
                    {r.retired
                      ? 'Retires the entry'
                      : r.parent === null
                        ? r.kind === 'baseline'
                          ? 'First imported from the knowledge/ folder'
                          : 'Created'
                        : `${KIND_TEXT[r.kind]}${r.kind !== 'publish' || r.changes.length ? `: ${changedText(r.changes)}` : ''}`}
                    {r.note && <span class="note">. Note: “{r.note}”</span>}
                    {r.published && (
                      <span class="published-by">
                        . Published by {r.published.by?.email ?? 'the knowledge/ import'} at{' '}
                        <time dateTime={r.published.at}>{formatDateTime(r.published.at)}</time>
                        {r.publishDetail?.confirmedChanges?.length
                          ? `, confirming ${r.publishDetail.confirmedChanges.length} changed ${r.publishDetail.confirmedChanges.length === 1 ? 'answer' : 'answers'}`
                          : ''}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
