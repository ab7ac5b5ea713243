import type { NewEntryDraft } from './editor-protocol.js';

/**
 * What one screen hands to the next it opens, in memory only (never in the address or the browser's
 * storage): a new entry prefilled from triage ("start a new entry from this"), and the message a screen
 * should show on arrival ("Draft saved").
 */
let pending: NewEntryDraft | null = null;
let notice: string | null = null;

export function setPendingEntry(draft: NewEntryDraft): void {
  pending = draft;
}

/** The prefilled entry for this locale, once. */
export function takePendingEntry(locale: string): NewEntryDraft | null {
  const draft = pending && pending.entry.locale === locale ? pending : null;
  pending = null;
  return draft;
}

export function setNotice(text: string): void {
  notice = text;
}

export function takeNotice(): string | null {
  const text = notice;
  notice = null;
  return text;
}
