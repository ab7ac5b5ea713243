import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Reply } from '../../widget/src/shared/protocol.js';
import { ApiError } from './api.js';
import { entryHistory, getEntry, listEntries, previewEntry, retireEntry, saveDraft } from './editor-api.js';
import type { Entry, FieldError, Locale } from './editor-protocol.js';
import { EntryFields } from './entry-fields.js';
import { emptyForm, formChanged, fromForm, toForm, type EntryForm } from './entry-form.js';
import { fieldId, formErrors, NO_ERRORS, type FormErrors } from './field-errors.js';
import { languageName, statusLabel } from './format.js';
import { setNotice, takeNotice, takePendingEntry } from './handoff.js';
import { HistoryPanel } from './history-panel.js';
import type { Member } from './protocol.js';
import { PublishPanel } from './publish-panel.js';
import { publishRefusal } from './publish-rules.js';
import { routeHref } from './routes.js';
import { TestQuestionsPanel } from './test-questions-panel.js';
import { useLoad } from './use-load.js';
import { WidgetReply } from './widget-reply.js';

interface Props {
  locale: Locale;
  /** null: the new-entry form. */
  entryId: string | null;
  member: Member;
  publishBy: string | null;
}

const ENTRY_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * One entry: the form for every field, saved as a draft on top of the revision it was opened at (a save
 * on top of an older one is refused as stale, never overwriting); the preview as the widget shows it;
 * publishing with the regression check; the revision history; the saved test questions; retiring.
 */
export function EntryScreen({ locale, entryId, member, publishBy }: Props) {
  const isNew = entryId === null;
  const [prefill] = useState(() => (isNew ? takePendingEntry(locale) : null));
  const [notice, setNoticeText] = useState<string | null>(() => takeNotice());
  const detail = useLoad(() => (entryId ? getEntry(locale, entryId) : Promise.resolve(null)), [locale, entryId]);
  const history = useLoad(() => (entryId ? entryHistory(locale, entryId) : Promise.resolve([])), [locale, entryId]);
  const entries = useLoad(() => listEntries(locale), [locale]);

  const initial = isNew ? (prefill ? toForm(prefill.entry) : emptyForm(locale)) : null;
  const [form, setForm] = useState<EntryForm | null>(initial);
  const [saved, setSaved] = useState<EntryForm | null>(initial);
  const [baseRevision, setBaseRevision] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [errorsFrom, setErrorsFrom] = useState<'save' | 'preview'>('save');
  const [problem, setProblem] = useState<string | null>(null);
  const [stale, setStale] = useState<number | null>(null);
  const [busy, setBusy] = useState<'save' | 'preview' | 'retire' | null>(null);
  const [status, setStatus] = useState('');
  const [preview, setPreview] = useState<Reply | null>(null);
  const [retireAsked, setRetireAsked] = useState(false);

  const headingRef = useRef<HTMLHeadingElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const staleRef = useRef<HTMLDivElement>(null);
  const previewRef = useRef<HTMLHeadingElement>(null);
  /** The form is (re)filled from the next entry that loads: on opening, and on "Reload the entry". */
  const fill = useRef(!isNew);

  useEffect(() => headingRef.current?.focus(), [locale, entryId]);

  const loaded = detail.data;
  useEffect(() => {
    if (!loaded || !fill.current) return;
    fill.current = false;
    const content = loaded.entry ?? loaded.live;
    const next = content ? toForm(content) : emptyForm(locale);
    setForm(next);
    setSaved(next);
    setBaseRevision(loaded.revision);
  }, [loaded]);

  const question = loaded?.entry?.question ?? loaded?.live?.question ?? entryId ?? '';

  useEffect(() => {
    if (errors.all.length) summaryRef.current?.focus();
  }, [errors]);

  const questions = useMemo(() => {
    const map: Record<string, string | null> = {};
    for (const e of entries.data ?? []) map[`${e.locale}/${e.id}`] = e.question;
    return map;
  }, [entries.data]);

  const dirty = !!form && !!saved && formChanged(form, saved);
  const id = isNew ? (form?.id.trim() ?? '') : entryId;
  const baseEntry: Partial<Entry> = loaded?.entry ?? loaded?.live ?? {};

  /** The id of a new entry, checked before anything is sent (the address needs it). */
  const idProblem = (): boolean => {
    if (!isNew || ENTRY_ID.test(id)) return false;
    showErrors([{ path: 'entry.id', message: id ? 'must be kebab-case (a-z, 0-9 and single hyphens)' : 'is required' }], 'save');
    return true;
  };

  const showErrors = (list: FieldError[], from: 'save' | 'preview') => {
    setErrorsFrom(from);
    setErrors(formErrors(list));
  };

  const failed = (err: unknown, from: 'save' | 'preview') => {
    if (err instanceof ApiError && Array.isArray(err.body.errors) && err.status === 400) {
      showErrors(err.body.errors as FieldError[], from);
    } else if (err instanceof ApiError && err.code === 'stale_revision') {
      if (isNew) showErrors([{ path: 'entry.id', message: `an entry "${id}" already exists in ${languageName(locale)}` }], from);
      else {
        setStale(Number(err.body.revision) || null);
        setTimeout(() => staleRef.current?.focus());
      }
    } else {
      setProblem(err instanceof ApiError ? err.message : 'Something went wrong. Try again.');
    }
  };

  const clear = () => {
    setErrors(NO_ERRORS);
    setProblem(null);
    setStatus('');
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (!form || busy) return;
    clear();
    if (idProblem()) return;
    setBusy('save');
    try {
      const result = await saveDraft(locale, id, {
        entry: fromForm(form, baseEntry),
        baseRevision: isNew ? null : baseRevision,
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(isNew && prefill?.triageItems.length ? { triageItems: prefill.triageItems } : {}),
      });
      if (isNew) {
        setNotice(`Draft saved: the new entry "${id}" (revision #${result.latest.number}). It goes live once it is published.`);
        location.hash = routeHref({ screen: 'entries', locale, entryId: id });
        return;
      }
      setSaved(form);
      setBaseRevision(result.revision);
      setNote('');
      setNoticeText(null);
      setStatus(
        result.unchanged
          ? 'Nothing to save: the entry says the same as its latest revision.'
          : `Draft saved as revision #${result.latest.number}.`,
      );
      detail.reload();
      history.reload();
    } catch (err) {
      failed(err, 'save');
    } finally {
      setBusy(null);
    }
  };

  const showPreview = async () => {
    if (!form || busy) return;
    clear();
    if (idProblem()) return;
    setBusy('preview');
    try {
      setPreview(await previewEntry(locale, id, fromForm(form, baseEntry)));
      setStatus('Preview updated.');
      setTimeout(() => previewRef.current?.focus());
    } catch (err) {
      failed(err, 'preview');
    } finally {
      setBusy(null);
    }
  };

  const reloadEntry = () => {
    fill.current = true;
    setStale(null);
    clear();
    detail.reload();
    history.reload();
  };

  const retire = async () => {
    if (!entryId || baseRevision === null) return;
    clear();
    setBusy('retire');
    try {
      const result = await retireEntry(locale, entryId, baseRevision);
      setRetireAsked(false);
      setBaseRevision(result.revision);
      setStatus(`Saved revision #${result.latest.number}, which retires the entry once it is published.`);
      fill.current = true;
      detail.reload();
      history.reload();
    } catch (err) {
      failed(err, 'save');
    } finally {
      setBusy(null);
    }
  };

  const refusal = publishRefusal(member, publishBy, history.data ?? []);

  return (
    <article class="entry-screen" aria-labelledby="entry-title">
      <p class="back">
        <a href={routeHref({ screen: 'entries', locale })}>← All entries</a>
      </p>
      <h1 id="entry-title" ref={headingRef} tabIndex={-1}>
        {isNew ? 'New entry' : question}
      </h1>
      <p class="entry-meta">
        {!isNew && (
          <>
            <code>{entryId}</code> ·{' '}
          </>
        )}
        {languageName(locale)}
        {loaded && (
          <> · {statusLabel(loaded.status, loaded.latest.kind === 'baseline' && loaded.status === 'draft' ? 'baseline' : null)}</>
        )}
        {dirty && <strong class="unsaved"> · Unsaved changes</strong>}
      </p>
      {prefill && isNew && (
        <p class="banner info">
          Started from {prefill.triageItems.length} {prefill.triageItems.length === 1 ? 'question' : 'questions'} in triage:
          saving this entry marks them as dealt with. Write the answer, check the evidence and add a source.
        </p>
      )}
      {notice && (
        <p class="banner ok" role="status">
          {notice}
        </p>
      )}
      {detail.error && (
        <p class="banner danger" role="alert">
          {detail.error}
        </p>
      )}
      {stale !== null && (
        <div class="banner warn stale" role="alert" tabIndex={-1} ref={staleRef}>
          <p>
            <strong>This entry was changed by someone else since you opened it.</strong> Your changes were not saved. Reload it to
            see the newest version, then make your change again (copy anything you want to keep first: reloading replaces the
            form).
          </p>
          <button type="button" onClick={reloadEntry}>
            Reload the entry
          </button>
        </div>
      )}
      {!form ? (
        !detail.error && <p class="empty">Loading the entry…</p>
      ) : (
        <div class="entry-layout">
          <form class="panel entry-form" onSubmit={save} noValidate aria-labelledby="entry-title">
            {errors.all.length > 0 && (
              <div class="error-summary" ref={summaryRef} tabIndex={-1} aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">
                  {errorsFrom === 'save' ? 'The draft was not saved' : 'The preview could not be made'}:{' '}
                  {errors.all.length === 1 ? '1 problem' : `${errors.all.length} problems`}
                </h2>
                <ul>
                  {errors.all.map((e, i) => (
                    <li key={i}>
                      {e.field ? (
                        <a
                          href={`#${fieldId(e.field)}`}
                          onClick={(event) => {
                            event.preventDefault();
                            document.getElementById(fieldId(e.field!))?.focus();
                          }}
                        >
                          {e.label}: {e.message}
                        </a>
                      ) : (
                        <span>
                          {e.label}: {e.message}
                        </span>
                      )}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <EntryFields form={form} errors={errors} isNew={isNew} onChange={setForm} />
            <div class="field">
              <label for="f-note">Note for the history</label>
              <p id="f-note-hint" class="hint">
                Optional: why you changed it, for whoever reviews and publishes it.
              </p>
              <input
                id="f-note"
                type="text"
                maxLength={500}
                aria-describedby="f-note-hint"
                value={note}
                onInput={(e) => setNote(e.currentTarget.value)}
              />
            </div>
            {problem && (
              <p class="error" role="alert">
                {problem}
              </p>
            )}
            <p class="status-line" role="status">
              {busy === 'save' ? 'Saving…' : busy === 'preview' ? 'Making the preview…' : status}
            </p>
            <div class="buttons">
              <button type="submit" class="primary" disabled={busy !== null}>
                Save draft
              </button>
              <button type="button" disabled={busy !== null} onClick={showPreview}>
                Preview
              </button>
              {dirty && saved && (
                <button type="button" class="quiet" disabled={busy !== null} onClick={() => (setForm(saved), clear())}>
                  Discard changes
                </button>
              )}
            </div>
          </form>
          <div class="entry-side">
            {!isNew && loaded && (
              <PublishPanel
                locale={locale}
                entryId={entryId}
                detail={loaded}
                dirty={dirty}
                refusal={history.data ? refusal : 'Loading…'}
                questions={questions}
                onPublished={() => {
                  detail.reload();
                  history.reload();
                  entries.reload();
                }}
                onStale={() => setStale(loaded.revision)}
              />
            )}
            <section class="panel preview" aria-labelledby="preview-title">
              <h2 id="preview-title" ref={previewRef} tabIndex={-1}>
                Preview
              </h2>
              <p class="hint">
                The answer exactly as the widget shows it to visitors, made from the form as it is now (saved or not). Only "Read
                more" works here.
              </p>
              {preview ? (
                <WidgetReply reply={preview} label="Preview of the answer in the widget" />
              ) : (
                <p class="empty">Press Preview.</p>
              )}
            </section>
          </div>
        </div>
      )}
      {!isNew && (
        <>
          <HistoryPanel revisions={history.data} error={history.error} />
          {entryId && <TestQuestionsPanel locale={locale} entryId={entryId} />}
          {loaded?.entry && (
            <section class="panel retire" aria-labelledby="retire-title">
              <h2 id="retire-title">Retire this entry</h2>
              {!retireAsked ? (
                <>
                  <p class="hint">
                    Saves a draft that retires the entry: once published, visitors are no longer answered from it.
                  </p>
                  <button type="button" class="quiet" disabled={busy !== null || dirty} onClick={() => setRetireAsked(true)}>
                    Retire this entry…
                  </button>
                </>
              ) : (
                <div role="group" aria-labelledby="retire-title">
                  <p>Retire “{question}”? Nothing changes for visitors until the retirement is published.</p>
                  <div class="buttons">
                    <button type="button" class="danger" disabled={busy !== null} onClick={retire}>
                      Save a draft that retires it
                    </button>
                    <button type="button" onClick={() => setRetireAsked(false)}>
                      Cancel
                    </button>
                  </div>
                </div>
              )}
            </section>
          )}
        </>
      )}
    </article>
  );
}
