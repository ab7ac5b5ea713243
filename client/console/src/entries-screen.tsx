import { useEffect, useRef, useState } from 'preact/hooks';
import { listEntries } from './editor-api.js';
import type { EntrySummary, Locale } from './editor-protocol.js';
import { formatDateTime, languageName, statusLabel } from './format.js';
import { routeHref } from './routes.js';
import { useLoad } from './use-load.js';

interface Props {
  locale: Locale;
  /** The entry that was open before: its link gets the focus back. */
  returnTo: string | null;
}

type Show = 'all' | 'waiting' | 'due' | 'published' | 'retired';

const SHOW_LABELS: Record<Show, string> = {
  all: 'All entries',
  waiting: 'Waiting to be published',
  due: 'Due for review',
  published: 'Published',
  retired: 'Retired',
};

const WAITING = new Set(['draft', 'new', 'retiring']);

function shown(entry: EntrySummary, show: Show, words: string[]): boolean {
  if (show === 'waiting' && !WAITING.has(entry.status)) return false;
  if (show === 'due' && !entry.dueForReview) return false;
  if (show === 'published' && entry.status !== 'published') return false;
  if (show === 'retired' && entry.status !== 'retired') return false;
  const haystack = `${entry.question ?? ''} ${entry.id}`.toLowerCase();
  return words.every((w) => haystack.includes(w));
}

/** The corpus entries of one language: status, review dates, search and filters; links to each entry. */
export function EntriesScreen({ locale, returnTo }: Props) {
  const entries = useLoad(() => listEntries(locale), [locale]);
  const [search, setSearch] = useState('');
  const [show, setShow] = useState<Show>('all');
  const headingRef = useRef<HTMLHeadingElement>(null);

  // Focus: back on the entry's link when returning from it, else on the heading.
  const focused = useRef(false);
  useEffect(() => {
    if (focused.current || (returnTo && !entries.data)) return;
    focused.current = true;
    const link = returnTo ? document.querySelector<HTMLElement>(`[data-entry="${CSS.escape(returnTo)}"]`) : null;
    (link ?? headingRef.current)?.focus();
  }, [entries.data]);

  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const all = entries.data ?? [];
  const list = all
    .filter((e) => shown(e, show, words))
    .sort((a, b) => (a.question ?? a.id).localeCompare(b.question ?? b.id, locale));
  const waiting = all.filter((e) => WAITING.has(e.status)).length;
  const due = all.filter((e) => e.dueForReview).length;

  return (
    <section class="entries-screen" aria-labelledby="entries-title">
      <div class="screen-head">
        <h1 id="entries-title" ref={headingRef} tabIndex={-1}>
          Entries
        </h1>
        <a class="button primary" href={routeHref({ screen: 'entries', newEntry: true, locale })}>
          New entry
        </a>
      </div>
      <p class="strip" aria-label="Corpus summary">
        <span>
          <strong>{all.length}</strong> entries in {languageName(locale)}
        </span>
        <span>
          <strong>{waiting}</strong> waiting to be published
        </span>
        <span>
          <strong>{due}</strong> due for review
        </span>
      </p>
      <div class="toolbar" role="search" aria-label="Find entries">
        <div class="field">
          <label for="entries-locale">Language</label>
          <select
            id="entries-locale"
            value={locale}
            onChange={(e) => (location.hash = routeHref({ screen: 'entries', locale: e.currentTarget.value as Locale }))}
          >
            <option value="en">English</option>
            <option value="es">Spanish</option>
          </select>
        </div>
        <div class="field grow">
          <label for="entries-search">Search</label>
          <input
            id="entries-search"
            type="search"
            aria-describedby="entries-search-hint"
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
          <p id="entries-search-hint" class="hint">
            Words of the question or the entry's id.
          </p>
        </div>
        <div class="field">
          <label for="entries-show">Show</label>
          <select id="entries-show" value={show} onChange={(e) => setShow(e.currentTarget.value as Show)}>
            {(Object.keys(SHOW_LABELS) as Show[]).map((s) => (
              <option key={s} value={s}>
                {SHOW_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {entries.error && (
        <p class="banner danger" role="alert">
          {entries.error}
        </p>
      )}
      <p class="count" role="status">
        {entries.loading && !entries.data ? 'Loading the entries…' : `${list.length} of ${all.length} entries shown.`}
      </p>
      {list.length > 0 && (
        <table class="data entries">
          <caption class="visually-hidden">Entries in {languageName(locale)}</caption>
          <thead>
            <tr>
              <th scope="col">Question</th>
              <th scope="col">Status</th>
              <th scope="col">Review by</th>
              <th scope="col">Last change</th>
            </tr>
          </thead>
          <tbody>
            {list.map((entry) => (
              <tr key={entry.id} class={`status-${entry.status}`}>
                <th scope="row">
                  <a href={routeHref({ screen: 'entries', locale, entryId: entry.id })} data-entry={entry.id}>
                    {entry.question ?? entry.id}
                  </a>
                  <br />
                  <code class="entry-id">{entry.id}</code>
                </th>
                <td>
                  <span class={`status status-${entry.status}`}>{statusLabel(entry.status, entry.draftFrom)}</span>
                </td>
                <td>
                  {entry.reviewBy ?? '—'}
                  {entry.dueForReview && (
                    <>
                      {' '}
                      <strong class="due">Due for review</strong>
                    </>
                  )}
                </td>
                <td>
                  <time dateTime={entry.updatedAt}>{formatDateTime(entry.updatedAt)}</time>
                  <br />
                  <span class="by">{entry.updatedBy?.email ?? 'knowledge/ folder'}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
