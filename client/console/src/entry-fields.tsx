import type { ComponentChildren } from 'preact';
import { EVIDENCE_LABELS, EVIDENCE_LEVELS, emptySource, type EntryForm, type SourceForm } from './entry-form.js';
import { fieldId, FIELD_LABELS, SOURCE_LABELS, type FormErrors } from './field-errors.js';

/**
 * The entry form's inputs, one per front-matter field of `src/knowledge/entry.schema.ts` plus the answer.
 * Every input has a visible label; a field's errors are written under it, tied to it with
 * aria-describedby and marked aria-invalid.
 */

interface Props {
  form: EntryForm;
  errors: FormErrors;
  isNew: boolean;
  onChange(form: EntryForm): void;
}

const HINTS: Record<string, string> = {
  id: 'Lowercase words with hyphens, e.g. "parking-at-the-clinic". It cannot change later.',
  question: 'The question as a visitor would ask it (5 to 200 characters).',
  alternates: 'Other ways visitors ask the same thing, one per line. The matcher learns from these.',
  summary: 'One or two plain sentences shown first, at most 45 words. Optional.',
  body: 'The full answer in Markdown (at least 40 characters). Visitors see it behind "Read more" when there is a short answer.',
  evidence: 'How strong the evidence behind the answer is; the widget shows it with the caveat.',
  caveat: "Optional; without it the widget shows the evidence level's standard caveat.",
  tags: 'Separated by commas. Optional.',
  related: 'Ids of up to six entries suggested after this answer, separated by commas.',
  reviewed: 'Set to today when the entry is published.',
  reviewBy: 'After this date the entry is listed as due for review.',
  translatedFrom: 'For a translation: the hash of the English entry it was translated from (npm run corpus -- hash <id>).',
};

function describedBy(field: string, errors: FormErrors, hint = field in HINTS): string | undefined {
  const ids = [hint ? `${fieldId(field)}-hint` : null, errors.byField[field] ? `${fieldId(field)}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function invalid(field: string, errors: FormErrors): 'true' | undefined {
  return errors.byField[field] ? 'true' : undefined;
}

function FieldErrors({ field, errors }: { field: string; errors: FormErrors }) {
  const messages = errors.byField[field];
  if (!messages) return null;
  return (
    <p id={`${fieldId(field)}-error`} class="error field-error">
      <span class="visually-hidden">Error: </span>
      {messages.join(' ')}
    </p>
  );
}

function Field({
  field,
  label,
  errors,
  children,
}: {
  field: string;
  label?: string;
  errors: FormErrors;
  children: ComponentChildren;
}) {
  return (
    <div class={`field${errors.byField[field] ? ' has-error' : ''}`}>
      <label for={fieldId(field)}>{label ?? FIELD_LABELS[field]}</label>
      {field in HINTS && (
        <p id={`${fieldId(field)}-hint`} class="hint">
          {HINTS[field]}
        </p>
      )}
      <FieldErrors field={field} errors={errors} />
      {children}
    </div>
  );
}

export function EntryFields({ form, errors, isNew, onChange }: Props) {
  const set = <K extends keyof EntryForm>(key: K, value: EntryForm[K]) => onChange({ ...form, [key]: value });
  const text = (key: keyof EntryForm & string) => ({
    id: fieldId(key),
    name: key,
    value: form[key] as string,
    'aria-invalid': invalid(key, errors),
    'aria-describedby': describedBy(key, errors),
    onInput: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => set(key, e.currentTarget.value as never),
  });
  const setSource = (index: number, source: SourceForm) =>
    set(
      'sources',
      form.sources.map((s, i) => (i === index ? source : s)),
    );

  return (
    <>
      {isNew && (
        <Field field="id" errors={errors}>
          <input type="text" autocomplete="off" spellcheck={false} required {...text('id')} />
        </Field>
      )}
      <Field field="question" errors={errors}>
        <input type="text" required maxLength={200} {...text('question')} />
      </Field>
      <Field field="alternates" errors={errors}>
        <textarea rows={5} {...text('alternates')} />
      </Field>
      <Field field="summary" errors={errors}>
        <textarea rows={3} maxLength={400} {...text('summary')} />
      </Field>
      <Field field="body" label="Answer (Markdown)" errors={errors}>
        <textarea class="markdown" rows={14} required {...text('body')} />
      </Field>
      <div class="field-row">
        <Field field="evidence" errors={errors}>
          <select
            id={fieldId('evidence')}
            name="evidence"
            value={form.evidence}
            aria-invalid={invalid('evidence', errors)}
            aria-describedby={describedBy('evidence', errors)}
            onChange={(e) => set('evidence', e.currentTarget.value)}
          >
            {EVIDENCE_LEVELS.map((level) => (
              <option key={level} value={level}>
                {EVIDENCE_LABELS[level]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field field="caveat" errors={errors}>
        <textarea rows={2} maxLength={600} {...text('caveat')} />
      </Field>

      <fieldset class="sources" aria-describedby={describedBy('sources', errors, true)}>
        <legend id={fieldId('sources')} tabIndex={-1}>
          Sources
        </legend>
        <p id={`${fieldId('sources')}-hint`} class="hint">
          At least one. Each needs a title, an https:// address and a publisher or a journal; year, DOI and PubMed id are
          optional.
        </p>
        <FieldErrors field="sources" errors={errors} />
        <ol class="source-list">
          {form.sources.map((source, index) => (
            <li key={index} class="source">
              <fieldset
                aria-describedby={errors.byField[`sources.${index}`] ? `${fieldId(`sources.${index}`)}-error` : undefined}
              >
                <legend id={fieldId(`sources.${index}`)} tabIndex={-1}>
                  Source {index + 1}
                </legend>
                <FieldErrors field={`sources.${index}`} errors={errors} />
                <div class="source-fields">
                  {(['title', 'url', 'publisher', 'journal', 'year', 'doi', 'pmid'] as const).map((name) => {
                    const key = `sources.${index}.${name}`;
                    return (
                      <div key={name} class={`field source-${name}${errors.byField[key] ? ' has-error' : ''}`}>
                        <label for={fieldId(key)}>{SOURCE_LABELS[name][0].toUpperCase() + SOURCE_LABELS[name].slice(1)}</label>
                        <FieldErrors field={key} errors={errors} />
                        <input
                          id={fieldId(key)}
                          type="text"
                          inputMode={name === 'url' ? 'url' : name === 'year' || name === 'pmid' ? 'numeric' : undefined}
                          spellcheck={name === 'title' || name === 'publisher' || name === 'journal'}
                          value={source[name]}
                          aria-invalid={invalid(key, errors)}
                          aria-describedby={errors.byField[key] ? `${fieldId(key)}-error` : undefined}
                          onInput={(e) => setSource(index, { ...source, [name]: e.currentTarget.value })}
                        />
                      </div>
                    );
                  })}
                </div>
                {form.sources.length > 1 && (
                  <button
                    type="button"
                    class="quiet"
                    onClick={() =>
                      set(
                        'sources',
                        form.sources.filter((_, i) => i !== index),
                      )
                    }
                  >
                    Remove source {index + 1}
                  </button>
                )}
              </fieldset>
            </li>
          ))}
        </ol>
        <button type="button" onClick={() => set('sources', [...form.sources, emptySource()])}>
          Add a source
        </button>
      </fieldset>

      <Field field="related" errors={errors}>
        <input type="text" autocomplete="off" spellcheck={false} {...text('related')} />
      </Field>
      <Field field="tags" errors={errors}>
        <input type="text" autocomplete="off" {...text('tags')} />
      </Field>

      <fieldset class="flags">
        <legend>Shown with the answer</legend>
        {(['showCrisisResources', 'showClinicContact'] as const).map((key) => (
          <div key={key} class="check">
            <input
              id={fieldId(key)}
              type="checkbox"
              checked={form[key]}
              aria-invalid={invalid(key, errors)}
              aria-describedby={errors.byField[key] ? `${fieldId(key)}-error` : undefined}
              onChange={(e) => set(key, e.currentTarget.checked)}
            />
            <label for={fieldId(key)}>{FIELD_LABELS[key]}</label>
            <FieldErrors field={key} errors={errors} />
          </div>
        ))}
      </fieldset>

      <div class="field-row">
        <Field field="reviewed" errors={errors}>
          <input type="date" {...text('reviewed')} />
        </Field>
        <Field field="reviewBy" errors={errors}>
          <input type="date" {...text('reviewBy')} />
        </Field>
      </div>
      {(form.locale !== 'en' || form.translatedFrom) && (
        <Field field="translatedFrom" errors={errors}>
          <input type="text" autocomplete="off" spellcheck={false} {...text('translatedFrom')} />
        </Field>
      )}
    </>
  );
}
