import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { DiffTable } from './diff-table.js';
import { publishEntry } from './editor-api.js';
import type { Change, EntryDetail, FieldError, Locale, Published } from './editor-protocol.js';
import { diffSummary, type Questions } from './regression-diff.js';

interface Props {
  locale: Locale;
  entryId: string;
  detail: EntryDetail;
  /** The form has changes that are not saved: publishing takes the latest saved revision. */
  dirty: boolean;
  /** Why this person may not publish this revision, or null when they may. */
  refusal: string | null;
  questions: Questions;
  onPublished(result: Published): void;
  /** A newer revision was saved meanwhile. */
  onStale(): void;
}

type State =
  | { step: 'idle' }
  | { step: 'checking'; confirming: boolean }
  | { step: 'confirm'; changes: Change[]; checked: number }
  | { step: 'done'; result: Published }
  | { step: 'error'; message: string; errors?: FieldError[] };

/**
 * Publishing (admins; editors too under PUBLISH_BY=second-editor, for drafts they did not write): the
 * server runs the regression check first; when answers would change it shows them and asks for an
 * explicit confirmation before anything goes live.
 */
export function PublishPanel({ locale, entryId, detail, dirty, refusal, questions, onPublished, onStale }: Props) {
  const [state, setState] = useState<State>({ step: 'idle' });
  const confirmRef = useRef<HTMLHeadingElement>(null);
  const outcomeRef = useRef<HTMLParagraphElement>(null);
  const revision = detail.revision;
  const number = detail.latest.number;
  const isLive = detail.liveRevision === revision;

  // A different revision to publish (saved, reloaded) starts over, except for the outcome just shown.
  useEffect(() => {
    setState((s) => (s.step === 'done' ? s : { step: 'idle' }));
  }, [revision]);

  useEffect(() => {
    if (state.step === 'confirm') confirmRef.current?.focus();
    if (state.step === 'done') outcomeRef.current?.focus();
  }, [state.step]);

  const publish = async (confirm: boolean) => {
    setState({ step: 'checking', confirming: confirm });
    try {
      const result = await publishEntry(locale, entryId, revision, confirm);
      setState({ step: 'done', result });
      onPublished(result);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'confirmation_required') {
        setState({
          step: 'confirm',
          changes: (err.body.changes as Change[]) ?? [],
          checked: Number(err.body.checked) || 0,
        });
      } else if (err instanceof ApiError && err.code === 'stale_revision') {
        setState({
          step: 'error',
          message: 'Someone saved a newer revision meanwhile: reload the entry and check it before publishing.',
        });
        onStale();
      } else if (err instanceof ApiError) {
        setState({ step: 'error', message: err.message, errors: err.body.errors as FieldError[] | undefined });
      } else {
        setState({ step: 'error', message: 'Publishing failed.' });
      }
    }
  };

  const busy = state.step === 'checking';
  const retiring = detail.entry === null;

  return (
    <section class="panel publish" aria-labelledby="publish-title">
      <h2 id="publish-title">Publish</h2>
      {state.step === 'done' ? (
        <Outcome
          result={state.result}
          locale={locale}
          questions={questions}
          outcomeRef={outcomeRef}
          onAgain={() => setState({ step: 'idle' })}
        />
      ) : refusal ? (
        <p class="hint">{refusal}</p>
      ) : dirty ? (
        <>
          <p>Save your changes as a draft first: publishing takes the latest saved revision.</p>
          <button type="button" class="primary" disabled>
            Publish revision #{number}
          </button>
        </>
      ) : state.step === 'confirm' ? (
        <div class="confirm">
          <h3 id="confirm-title" ref={confirmRef} tabIndex={-1}>
            Check these changes before publishing
          </h3>
          <p>
            {diffSummary(state.changes.length, state.checked)} Publish only if every new answer is the right one for its question.
          </p>
          <DiffTable
            changes={state.changes}
            locale={locale}
            questions={questions}
            caption={`Answers that change if revision #${number} is published`}
          />
          <div class="buttons">
            <button type="button" class="primary" onClick={() => publish(true)}>
              Publish with these changes
            </button>
            <button type="button" onClick={() => setState({ step: 'idle' })}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <>
          <p>
            {isLive
              ? `Revision #${number} is live. Publishing it again records a review: "Reviewed" becomes today.`
              : retiring
                ? `Revision #${number} retires this entry: once published, visitors are no longer answered from it.`
                : `Revision #${number} waits to be published.`}{' '}
            Every question and phrasing of every entry, and the saved test questions, are asked again first; if any would get a
            different answer you see them and decide.
          </p>
          {state.step === 'error' && (
            <div class="error" role="alert">
              <p>{state.message}</p>
              {state.errors && state.errors.length > 0 && (
                <ul>
                  {state.errors.map((e, i) => (
                    <li key={i}>
                      <code>{e.path}</code>: {e.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <p class="status-line" role="status">
            {busy ? (state.confirming ? 'Publishing…' : 'Checking the questions against the new corpus…') : ''}
          </p>
          <button type="button" class="primary" disabled={busy} onClick={() => publish(false)}>
            {isLive ? 'Record a review' : `Publish revision #${number}`}
          </button>
        </>
      )}
    </section>
  );
}

function Outcome({
  result,
  locale,
  questions,
  outcomeRef,
  onAgain,
}: {
  result: Published;
  locale: Locale;
  questions: Questions;
  outcomeRef: { current: HTMLParagraphElement | null };
  onAgain(): void;
}) {
  return (
    <div class="published">
      <p class="outcome" ref={outcomeRef} tabIndex={-1} role="status">
        {result.retired
          ? `Published revision #${result.number}: the entry is retired, visitors are no longer answered from it.`
          : `Published revision #${result.number}: visitors get it now.`}
      </p>
      <ul>
        {!result.retired && (
          <li>
            Reviewed {result.reviewed}; review by {result.reviewBy}.
          </li>
        )}
        <li>
          {result.checked.toLocaleString('en-US')} questions checked;{' '}
          {result.changes.length === 0
            ? 'no answer changed.'
            : `${result.changes.length} ${result.changes.length === 1 ? 'answer' : 'answers'} changed, as you confirmed:`}
        </li>
      </ul>
      {result.changes.length > 0 && (
        <DiffTable
          changes={result.changes}
          locale={locale}
          questions={questions}
          caption={`What changed with revision #${result.number}`}
        />
      )}
      <button type="button" class="quiet" onClick={onAgain}>
        Done
      </button>
    </div>
  );
}
