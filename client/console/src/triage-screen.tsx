import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { addAlternate, dismissItems, listEntries, newEntryFrom, triage } from './editor-api.js';
import type { EntrySummary, Locale, TriageItem } from './editor-protocol.js';
import { formatDateTime, languageName } from './format.js';
import { setPendingEntry } from './handoff.js';
import { formatScore } from './regression-diff.js';
import { routeHref } from './routes.js';
import { useLoad } from './use-load.js';
import { PeriodField } from './period-field.js';

const REASONS: Record<string, string> = {
  'below-threshold': 'not confident enough',
  ambiguous: 'two entries too close',
  'off-topic': 'off topic',
  'no-terms': 'no known words',
};

/** A group's closest entry is chosen for "add as alternate of" only when it came this close. */
const SUGGEST_FROM = 0.15;

interface Outcome {
  text: string;
  link?: { href: string; label: string };
  error?: boolean;
}

interface ActionsProps {
  /** Unique within the page, for the controls' ids. */
  id: string;
  items: TriageItem[];
  locale: Locale;
  entries: EntrySummary[];
  /** The entry chosen at first for "add as alternate of". */
  suggested: string | null;
  /** The element that says what these items are (for the group's name). */
  labelledBy: string;
  onDone(outcome: Outcome): void;
}

/** The one-click actions on a triage item or group: add as alternate of an entry, start a new entry, dismiss. */
function ItemActions({ id, items, locale, entries, suggested, labelledBy, onDone }: ActionsProps) {
  const [target, setTarget] = useState(suggested ?? '');
  const [busy, setBusy] = useState(false);
  const ids = items.map((i) => i.id);
  const live = entries.filter((e) => e.status !== 'retired');

  const act = async (work: () => Promise<Outcome | null>) => {
    setBusy(true);
    try {
      const outcome = await work();
      if (outcome) onDone(outcome);
    } catch (err) {
      onDone({ text: err instanceof ApiError ? err.message : 'That did not work. Try again.', error: true });
    } finally {
      setBusy(false);
    }
  };

  const alternate = () =>
    act(async () => {
      const result = await addAlternate(ids, target, locale);
      const entry = entries.find((e) => e.id === target);
      return {
        text: `Added “${result.alternate}” as another phrasing of “${entry?.question ?? target}”: a draft of it now waits to be published.`,
        link: { href: routeHref({ screen: 'entries', locale, entryId: target }), label: 'Open the entry' },
      };
    });

  const newEntry = () =>
    act(async () => {
      setPendingEntry(await newEntryFrom(ids, locale));
      location.hash = routeHref({ screen: 'entries', locale, newEntry: true });
      return null;
    });

  const dismiss = () =>
    act(async () => {
      const { dismissed } = await dismissItems(ids);
      return { text: `Dismissed ${dismissed} ${dismissed === 1 ? 'question' : 'questions'}.` };
    });

  return (
    <div class="item-actions" role="group" aria-labelledby={labelledBy}>
      <div class="inline">
        <label for={`${id}-entry`}>Add as another phrasing of</label>
        <select id={`${id}-entry`} value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
          <option value="">Choose an entry…</option>
          {live.map((e) => (
            <option key={e.id} value={e.id}>
              {e.question ?? e.id}
            </option>
          ))}
        </select>
        <button type="button" disabled={busy || !target} onClick={alternate}>
          Add as alternate
        </button>
      </div>
      <div class="buttons">
        <button type="button" disabled={busy} onClick={newEntry}>
          Start a new entry from this
        </button>
        <button type="button" class="quiet" disabled={busy} onClick={dismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}

function Questions({ items }: { items: TriageItem[] }) {
  if (items.length <= 1) return null;
  return (
    <details class="asked">
      <summary>All {items.length} questions</summary>
      <ul>
        {items.map((item) => (
          <li key={item.id}>
            {/* Visitor text: always a text node. */}
            <span class="visitor-text">{item.text}</span> <time dateTime={item.at}>{formatDateTime(item.at)}</time>
          </li>
        ))}
      </ul>
    </details>
  );
}

/**
 * Content triage: unanswered questions grouped and counted, answers marked unhelpful, answers won by a
 * thin margin, each with its one-click actions. Editors see single redacted questions only, never a
 * conversation (and never anything from a flagged one): the server keeps nothing else for triage.
 */
export function TriageScreen({ initialLocale = 'en' }: { initialLocale?: Locale }) {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const [days, setDays] = useState(30);
  const queue = useLoad(() => triage(locale, days), [locale, days]);
  const entries = useLoad(() => listEntries(locale), [locale]);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const done = (o: Outcome) => {
    setOutcome(o);
    if (!o.error) queue.reload();
    setTimeout(() => outcomeRef.current?.focus());
  };

  const data = queue.data;
  const list = entries.data ?? [];
  const question = (id: string | null | undefined, fallback?: string | null) =>
    (id && list.find((e) => e.id === id)?.question) ?? fallback ?? id ?? '—';
  const fallbackTotal = data ? Object.values(data.unanswered.counts).reduce((a, b) => a + b, 0) : 0;

  return (
    <section class="triage-screen" aria-labelledby="triage-title">
      <h1 id="triage-title" ref={headingRef} tabIndex={-1}>
        Triage
      </h1>
      <div class="toolbar">
        <div class="field">
          <label for="triage-locale">Language</label>
          <select id="triage-locale" value={locale} onChange={(e) => setLocale(e.currentTarget.value as Locale)}>
            <option value="en">English</option>
            <option value="es">Spanish</option>
          </select>
        </div>
        <PeriodField id="triage-days" days={days} onChange={setDays} />
      </div>
      <div class="outcome-region" ref={outcomeRef} tabIndex={-1} role="status">
        {outcome && (
          <p class={`banner ${outcome.error ? 'danger' : 'ok'}`}>
            {outcome.text} {outcome.link && <a href={outcome.link.href}>{outcome.link.label}</a>}
          </p>
        )}
      </div>
      {queue.error && (
        <p class="banner danger" role="alert">
          {queue.error}
        </p>
      )}
      {!data ? (
        !queue.error && <p class="empty">Loading the triage queue…</p>
      ) : (
        <>
          {!data.textKept && (
            <p class="banner info">
              Visitors' questions are not kept (TRIAGE_STORE_TEXT is off), so only counts are shown here and the one-click actions
              have nothing to act on. The clinic can turn it on (README, "Content triage and analytics").
            </p>
          )}
          <p class="hint">
            {languageName(locale)}, {data.from} to {data.to}.{' '}
            {data.textKept &&
              `Questions are kept for ${data.retentionDays} days, redacted, and only when the safety screen found nothing.`}
          </p>

          <section class="triage-section" aria-labelledby="unanswered-title">
            <h2 id="unanswered-title">Unanswered questions</h2>
            <p>
              {fallbackTotal} {fallbackTotal === 1 ? 'question' : 'questions'} got no answer
              {fallbackTotal > 0 &&
                `: ${Object.entries(data.unanswered.counts)
                  .map(([reason, n]) => `${n} ${REASONS[reason] ?? reason}`)
                  .join(', ')}`}
              .
            </p>
            {data.unanswered.groups.length === 0 ? (
              <p class="empty">No unanswered questions waiting.</p>
            ) : (
              <ol class="triage-list">
                {data.unanswered.groups.map((group, i) => (
                  <li key={group.items[0]?.id ?? i} class="panel triage-item">
                    <h3 id={`un-${i}`}>
                      “<span class="visitor-text">{group.text}</span>”
                    </h3>
                    <p class="meta">
                      Asked <strong>{group.count}</strong> {group.count === 1 ? 'time' : 'times'}, last{' '}
                      <time dateTime={group.lastAt}>{formatDateTime(group.lastAt)}</time>
                      {Object.keys(group.reasons).length > 0 &&
                        ` · ${Object.keys(group.reasons)
                          .map((r) => REASONS[r] ?? r)
                          .join(', ')}`}
                    </p>
                    {group.closest.length > 0 && (
                      <p class="meta">
                        Closest entries:{' '}
                        {group.closest.map((c, j) => (
                          <span key={c.id}>
                            {j > 0 && '; '}
                            <a href={routeHref({ screen: 'entries', locale, entryId: c.id })}>{c.question ?? c.id}</a> (
                            {formatScore(c.score)})
                          </span>
                        ))}
                      </p>
                    )}
                    <Questions items={group.items} />
                    <ItemActions
                      id={`un-${i}`}
                      items={group.items}
                      locale={locale}
                      entries={list}
                      suggested={(group.closest[0]?.score ?? 0) >= SUGGEST_FROM ? group.closest[0].id : null}
                      labelledBy={`un-${i}`}
                      onDone={done}
                    />
                  </li>
                ))}
              </ol>
            )}
          </section>

          <section class="triage-section" aria-labelledby="unhelpful-title">
            <h2 id="unhelpful-title">Answers marked unhelpful</h2>
            {data.unhelpful.length === 0 ? (
              <p class="empty">No answer was marked unhelpful.</p>
            ) : (
              <ol class="triage-list">
                {data.unhelpful.map((entry) => (
                  <li key={entry.id} class="panel triage-item">
                    <h3>
                      <a href={routeHref({ screen: 'entries', locale, entryId: entry.id })}>
                        {question(entry.id, entry.question)}
                      </a>
                    </h3>
                    <p class="meta">
                      <strong>{entry.unhelpful}</strong> unhelpful, {entry.helpful} helpful
                    </p>
                    {entry.items.length > 0 && (
                      <ul class="item-list">
                        {entry.items.map((item) => (
                          <li key={item.id}>
                            <p id={`uh-${item.id}`}>
                              Asked: “<span class="visitor-text">{item.text}</span>”{' '}
                              <time dateTime={item.at}>{formatDateTime(item.at)}</time>
                            </p>
                            <ItemActions
                              id={`uh-${item.id}`}
                              items={[item]}
                              locale={locale}
                              entries={list}
                              suggested={null}
                              labelledBy={`uh-${item.id}`}
                              onDone={done}
                            />
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>

          <section class="triage-section" aria-labelledby="thin-title">
            <h2 id="thin-title">Answers won by a thin margin</h2>
            {data.thinMargin.length === 0 ? (
              <p class="empty">No answer won by a thin margin.</p>
            ) : (
              <ol class="triage-list">
                {data.thinMargin.map((t, i) => (
                  <li key={`${t.entry?.id}>${t.runnerUp?.id}`} class="panel triage-item">
                    <h3 id={`thin-${i}`}>
                      {question(t.entry?.id, t.entry?.question)} <span class="versus">over</span>{' '}
                      {question(t.runnerUp?.id, t.runnerUp?.question)}
                    </h3>
                    <p class="meta">
                      <strong>{t.count}</strong> {t.count === 1 ? 'time' : 'times'}
                    </p>
                    <Questions items={t.items} />
                    {t.items.length > 0 && (
                      <>
                        {t.items.length === 1 && (
                          <p>
                            Asked: “<span class="visitor-text">{t.items[0].text}</span>”
                          </p>
                        )}
                        <ItemActions
                          id={`thin-${i}`}
                          items={t.items}
                          locale={locale}
                          entries={list}
                          suggested={t.entry?.id ?? null}
                          labelledBy={`thin-${i}`}
                          onDone={done}
                        />
                      </>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      )}
    </section>
  );
}
