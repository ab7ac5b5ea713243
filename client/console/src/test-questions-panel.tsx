import { useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { addTestQuestion, removeTestQuestion, testQuestions } from './editor-api.js';
import type { Locale } from './editor-protocol.js';
import { useLoad } from './use-load.js';

/**
 * Saved test questions of an entry: asked again, with every phrasing, before any publish; a publish that
 * would send one elsewhere needs confirming.
 */
export function TestQuestionsPanel({ locale, entryId }: { locale: Locale; entryId: string }) {
  const list = useLoad(() => testQuestions(locale, entryId), [locale, entryId]);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const add = async (event: Event) => {
    event.preventDefault();
    if (text.trim().length < 2) {
      setError('Write the question first (at least 2 characters).');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await addTestQuestion(locale, entryId, text.trim());
      setText('');
      list.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The question was not saved.');
    } finally {
      setBusy(false);
    }
  };

  const remove = async (id: number) => {
    setError(null);
    try {
      await removeTestQuestion(locale, entryId, id);
      list.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The question was not removed.');
    }
  };

  return (
    <section class="panel test-questions" aria-labelledby="tq-title">
      <h2 id="tq-title">Test questions</h2>
      <p class="hint">
        Questions this entry must keep answering. Before any publish they are asked again with every phrasing; a change needs
        confirming.
      </p>
      {list.data && list.data.length === 0 && <p class="empty">None saved.</p>}
      {list.data && list.data.length > 0 && (
        <ul class="tq-list">
          {list.data.map((q) => (
            <li key={q.id}>
              <span class="tq-text">{q.text}</span>{' '}
              <button type="button" class="quiet small" aria-label={`Remove “${q.text}”`} onClick={() => remove(q.id)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form class="inline-form" onSubmit={add} noValidate>
        <label for="tq-new">New test question</label>
        <div class="inline">
          <input
            id="tq-new"
            type="text"
            maxLength={300}
            value={text}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'tq-error' : undefined}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <button type="submit" disabled={busy}>
            Add
          </button>
        </div>
        {(error || list.error) && (
          <p id="tq-error" class="error" role="alert">
            {error ?? list.error}
          </p>
        )}
      </form>
    </section>
  );
}
