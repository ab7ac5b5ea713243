import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { testQuestion } from './editor-api.js';
import type { Locale, TesterResult } from './editor-protocol.js';
import { languageName, reasonText } from './format.js';
import { formatScore } from './regression-diff.js';
import { routeHref } from './routes.js';
import { WidgetReply } from './widget-reply.js';

const LEVEL_TEXT: Record<string, string> = {
  none: 'None',
  informational: 'Informational (asks about crisis topics)',
  concern: 'Concern (distress)',
  crisis: 'Crisis',
};

const OUTCOME_TEXT: Record<string, string> = {
  answer: 'Answered from an entry',
  fallback: 'No answer (fallback)',
  crisis: 'Crisis reply',
  smalltalk: 'Small talk',
};

const MATCH_REASONS: Record<string, string> = {
  'below-threshold': 'the best candidate is below the confidence threshold',
  ambiguous: 'two candidates are too close to tell apart',
  'off-topic': 'the question is outside what the corpus covers',
  'no-terms': 'the question has no words the matcher knows',
};

/**
 * The question tester: any question through the gateway's own pipeline (safety screen, reply policy,
 * matcher, composer), showing why it is answered the way it is. Nothing is stored, nobody is paged.
 */
export function TesterScreen({ initialLocale = 'en' }: { initialLocale?: Locale }) {
  const [text, setText] = useState('');
  const [locale, setLocale] = useState<Locale>(initialLocale);
  const [result, setResult] = useState<TesterResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const run = async (question: string) => {
    if (!question.trim()) {
      setError('Type a question first.');
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setResult(await testQuestion(question.trim(), locale));
      setTimeout(() => resultRef.current?.focus());
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The question could not be tested.');
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    // The box's own value: a fast typist's Enter can arrive before the last keystroke has re-rendered.
    void run(inputRef.current?.value ?? text);
  };

  const match = result?.match ?? null;

  return (
    <section class="tester-screen" aria-labelledby="tester-title">
      <h1 id="tester-title" ref={headingRef} tabIndex={-1}>
        Question tester
      </h1>
      <p class="hint">
        Ask anything as a visitor would: it goes through the same steps as in the widget (the safety screen first), but nothing is
        stored, no flag is raised and nobody is paged.
      </p>
      <form class="panel tester-form" onSubmit={submit} noValidate>
        <div class="field">
          <label for="tester-text">Question</label>
          <textarea
            id="tester-text"
            ref={inputRef}
            rows={2}
            maxLength={1000}
            value={text}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'tester-error tester-hint' : 'tester-hint'}
            onInput={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) submit(e);
            }}
          />
          <p id="tester-hint" class="hint">
            Enter tests it, Shift+Enter starts a new line.
          </p>
        </div>
        <div class="field">
          <label for="tester-locale">Widget language</label>
          <select id="tester-locale" value={locale} onChange={(e) => setLocale(e.currentTarget.value as Locale)}>
            <option value="en">English</option>
            <option value="es">Spanish</option>
          </select>
        </div>
        {error && (
          <p id="tester-error" class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Testing…' : 'Test'}
        </button>
      </form>

      {result && (
        <div class="tester-result">
          <h2 id="tester-result-title" ref={resultRef} tabIndex={-1}>
            Result for “{result.text}”
          </h2>
          <div class="tester-layout">
            <div>
              <section class="panel" aria-labelledby="risk-title">
                <h3 id="risk-title">Safety screen</h3>
                <dl class="facts one-column">
                  <div>
                    <dt>Risk level</dt>
                    <dd class={`risk risk-${result.risk.level}`}>
                      {LEVEL_TEXT[result.risk.level] ?? result.risk.level}
                      {result.risk.kind ? ` — ${result.risk.kind}` : ''}
                    </dd>
                  </div>
                  <div>
                    <dt>Reasons</dt>
                    <dd>
                      {result.risk.reasons.length === 0 ? (
                        'No safety rule matched.'
                      ) : (
                        <ul class="reasons">
                          {result.risk.reasons.map((r, i) => (
                            <li key={i}>
                              {reasonText(r.rule)}
                              {r.matched && (
                                <>
                                  {' '}
                                  (matched “<span class="matched">{r.matched}</span>”)
                                </>
                              )}
                            </li>
                          ))}
                        </ul>
                      )}
                    </dd>
                  </div>
                  <div>
                    <dt>Reply</dt>
                    <dd>
                      {OUTCOME_TEXT[result.outcome] ?? result.outcome}
                      {result.reply.locale && result.reply.locale !== locale ? ` (in ${languageName(result.reply.locale)})` : ''}
                    </dd>
                  </div>
                </dl>
              </section>
              <section class="panel" aria-labelledby="match-title">
                <h3 id="match-title">Matcher</h3>
                {!match ? (
                  <p>
                    The matcher did not run:{' '}
                    {result.outcome === 'crisis' ? 'a crisis reply comes first.' : 'the message needs no answer from the corpus.'}
                  </p>
                ) : (
                  <>
                    <dl class="facts one-column">
                      <div>
                        <dt>Matched entry</dt>
                        <dd class="matched-entry">
                          {match.entry ? (
                            <a href={routeHref({ screen: 'entries', locale: result.locale, entryId: match.entry.id })}>
                              {match.entry.question}
                            </a>
                          ) : (
                            <>None: {MATCH_REASONS[match.reason] ?? match.reason}.</>
                          )}
                        </dd>
                      </div>
                      <div>
                        <dt>Confidence</dt>
                        <dd class="confidence">
                          {formatScore(match.confidence)}{' '}
                          <span class="hint-inline">(answers from {formatScore(match.threshold)})</span>
                        </dd>
                      </div>
                      <div>
                        <dt>Lead over the runner-up</dt>
                        <dd>
                          {formatScore(match.margin)} <span class="hint-inline">(needs {formatScore(match.minMargin)})</span>
                        </dd>
                      </div>
                      {!match.entry && match.best && (
                        <div>
                          <dt>Best candidate</dt>
                          <dd>
                            {match.best.question} ({formatScore(match.best.score)})
                          </dd>
                        </div>
                      )}
                    </dl>
                    <table class="data runners-up">
                      <caption>Runners-up</caption>
                      <thead>
                        <tr>
                          <th scope="col">Entry</th>
                          <th scope="col">Confidence</th>
                          <th scope="col">Phrasing similarity</th>
                        </tr>
                      </thead>
                      <tbody>
                        {match.runnersUp.length === 0 ? (
                          <tr>
                            <td colSpan={3}>None.</td>
                          </tr>
                        ) : (
                          match.runnersUp.map((c) => (
                            <tr key={c.id}>
                              <th scope="row">
                                <a href={routeHref({ screen: 'entries', locale: result.locale, entryId: c.id })}>{c.question}</a>
                              </th>
                              <td class="num">{formatScore(c.score)}</td>
                              <td class="num">{formatScore(c.phrasing)}</td>
                            </tr>
                          ))
                        )}
                      </tbody>
                    </table>
                  </>
                )}
              </section>
            </div>
            <section class="panel" aria-labelledby="tester-reply-title">
              <h3 id="tester-reply-title">The reply, as the widget shows it</h3>
              <WidgetReply
                reply={result.reply}
                label="The reply in the widget"
                onAsk={(q) => {
                  setText(q);
                  void run(q);
                }}
              />
            </section>
          </div>
        </div>
      )}
    </section>
  );
}
