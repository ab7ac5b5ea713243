import { useEffect, useRef, useState } from 'preact/hooks';
import { analytics, crisisReport, listEntries } from './editor-api.js';
import type { Locale } from './editor-protocol.js';
import { kindLabel, languageName } from './format.js';
import { routeHref } from './routes.js';
import { useLoad } from './use-load.js';
import { PeriodField } from './period-field.js';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Counts as a small bar chart beside the table (the table is what screen readers use). */
function Bars({ rows, label }: { rows: Array<{ day: string; concern: number; crisis: number }>; label: string }) {
  const max = Math.max(1, ...rows.map((r) => r.concern + r.crisis));
  const width = 12;
  const height = 80;
  return (
    <svg
      class="bars"
      viewBox={`0 0 ${Math.max(1, rows.length) * width} ${height}`}
      role="img"
      aria-label={label}
      preserveAspectRatio="none"
    >
      {rows.map((r, i) => {
        const crisis = (r.crisis / max) * height;
        const concern = (r.concern / max) * height;
        return (
          <g key={r.day}>
            <rect class="bar-concern" x={i * width + 1} y={height - crisis - concern} width={width - 2} height={concern} />
            <rect class="bar-crisis" x={i * width + 1} y={height - crisis} width={width - 2} height={crisis} />
          </g>
        );
      })}
    </svg>
  );
}

/**
 * Counts without identifiers: the most asked entries and the risk levels per day (editors and admins),
 * and the yearly crisis-referral report (admins).
 */
export function AnalyticsScreen({ isAdmin }: { isAdmin: boolean }) {
  const [days, setDays] = useState(30);
  const [locale, setLocale] = useState<Locale | ''>('');
  const [year, setYear] = useState(new Date().getFullYear());
  const summary = useLoad(() => analytics(days, locale || null), [days, locale]);
  const entriesEn = useLoad(() => listEntries(locale || 'en'), [locale]);
  const report = useLoad(() => (isAdmin ? crisisReport(year) : Promise.resolve(null)), [isAdmin, year]);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const data = summary.data;
  const questionOf = (id: string) => entriesEn.data?.find((e) => e.id === id)?.question ?? id;
  const riskRows = data?.riskByDay ?? [];
  const years = Array.from({ length: 5 }, (_, i) => new Date().getFullYear() - i);

  return (
    <section class="analytics-screen" aria-labelledby="analytics-title">
      <h1 id="analytics-title" ref={headingRef} tabIndex={-1}>
        Analytics
      </h1>
      <p class="hint">Counts per day only: nothing here identifies a visitor or a conversation.</p>
      <div class="toolbar">
        <PeriodField id="analytics-days" days={days} onChange={setDays} />
        <div class="field">
          <label for="analytics-locale">Language</label>
          <select id="analytics-locale" value={locale} onChange={(e) => setLocale(e.currentTarget.value as Locale | '')}>
            <option value="">All languages</option>
            <option value="en">English</option>
            <option value="es">Spanish</option>
          </select>
        </div>
      </div>
      {summary.error && (
        <p class="banner danger" role="alert">
          {summary.error}
        </p>
      )}
      {!data ? (
        !summary.error && <p class="empty">Loading…</p>
      ) : (
        <div class="analytics-layout">
          <section class="panel" aria-labelledby="top-title">
            <h2 id="top-title">Most asked entries</h2>
            {data.topEntries.length === 0 ? (
              <p class="empty">No answers given in this period.</p>
            ) : (
              <table class="data">
                <caption class="visually-hidden">
                  Answers given per entry, {data.from} to {data.to}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Entry</th>
                    <th scope="col">Answers</th>
                  </tr>
                </thead>
                <tbody>
                  {data.topEntries.slice(0, 20).map((e) => (
                    <tr key={e.entryId}>
                      <th scope="row">
                        <a href={routeHref({ screen: 'entries', locale: locale || 'en', entryId: e.entryId })}>
                          {questionOf(e.entryId)}
                        </a>
                      </th>
                      <td class="num">{e.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section class="panel" aria-labelledby="risk-days-title">
            <h2 id="risk-days-title">Risk levels per day</h2>
            {riskRows.length === 0 ? (
              <p class="empty">No messages in this period.</p>
            ) : (
              <>
                {riskRows.some((r) => r.crisis + r.concern > 0) && (
                  <>
                    <Bars
                      rows={riskRows}
                      label={`Concern and crisis messages per day, ${data.from} to ${data.to}: see the table`}
                    />
                    <p class="legend" aria-hidden="true">
                      <span class="key key-crisis" /> crisis <span class="key key-concern" /> concern
                    </p>
                  </>
                )}
                <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="risk-days-title">
                  <table class="data">
                    <caption class="visually-hidden">Messages per day by the safety screen's risk level</caption>
                    <thead>
                      <tr>
                        <th scope="col">Day</th>
                        <th scope="col">Crisis</th>
                        <th scope="col">Concern</th>
                        <th scope="col">Informational</th>
                        <th scope="col">None</th>
                      </tr>
                    </thead>
                    <tbody>
                      {riskRows.map((r) => (
                        <tr key={r.day}>
                          <th scope="row">{r.day}</th>
                          <td class="num">{r.crisis}</td>
                          <td class="num">{r.concern}</td>
                          <td class="num">{r.informational}</td>
                          <td class="num">{r.none}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
          </section>
        </div>
      )}
      {isAdmin && (
        <section class="panel report" aria-labelledby="report-title">
          <h2 id="report-title">Yearly crisis-referral report</h2>
          <div class="field">
            <label for="report-year">Year</label>
            <select id="report-year" value={String(year)} onChange={(e) => setYear(Number(e.currentTarget.value))}>
              {years.map((y) => (
                <option key={y} value={String(y)}>
                  {y}
                </option>
              ))}
            </select>
          </div>
          {report.error && (
            <p class="error" role="alert">
              {report.error}
            </p>
          )}
          {report.data && (
            <>
              <dl class="facts">
                <div>
                  <dt>Messages screened</dt>
                  <dd>{report.data.messages}</dd>
                </div>
                <div>
                  <dt>Crisis referrals</dt>
                  <dd>
                    {report.data.crisisReferrals.total}
                    {Object.keys(report.data.crisisReferrals.byLocale).length > 0 &&
                      ` (${Object.entries(report.data.crisisReferrals.byLocale)
                        .map(([l, n]) => `${languageName(l)} ${n}`)
                        .join(', ')})`}
                  </dd>
                </div>
                <div>
                  <dt>Follow-up referrals</dt>
                  <dd>{report.data.followUpReferrals}</dd>
                </div>
                <div>
                  <dt>Conversations flagged</dt>
                  <dd>
                    {report.data.flagsRaised.total}
                    {Object.keys(report.data.flagsRaised.byKind).length > 0 &&
                      ` (${Object.entries(report.data.flagsRaised.byKind)
                        .map(([k, n]) => `${kindLabel(k)} ${n}`)
                        .join(', ')})`}
                  </dd>
                </div>
                <div>
                  <dt>Concern referrals</dt>
                  <dd>{report.data.concernReferrals}</dd>
                </div>
                <div>
                  <dt>Informational, with resources</dt>
                  <dd>{report.data.informationalWithResources}</dd>
                </div>
              </dl>
              <table class="data months">
                <caption>Crisis referrals by month, {report.data.year}</caption>
                <thead>
                  <tr>
                    <th scope="col">Month</th>
                    <th scope="col">Referrals</th>
                  </tr>
                </thead>
                <tbody>
                  {report.data.crisisReferrals.byMonth.map((m, i) => (
                    <tr key={m.month}>
                      <th scope="row">{MONTHS[i] ?? m.month}</th>
                      <td class="num">{m.total}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h3>Definitions</h3>
              <dl class="definitions">
                {Object.entries(report.data.definitions).map(([term, text]) => (
                  <div key={term}>
                    <dt>{term}</dt>
                    <dd>{text}</dd>
                  </div>
                ))}
              </dl>
              <p class="hint">{report.data.note}</p>
            </>
          )}
        </section>
      )}
    </section>
  );
}
