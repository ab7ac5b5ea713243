import { redactContacts } from '../escalation/redact.js';

/** The most of a visitor's text that triage keeps. */
export const TRIAGE_TEXT_MAX = 300;

/** A visitor's words as triage keeps them: contact details redacted first, then cut to 300 characters. */
export function triageText(text: string): string {
  const redacted = redactContacts(text.replace(/\s+/g, ' ').trim());
  // By code points, so an emoji or accented letter is never cut in half.
  return Array.from(redacted).slice(0, TRIAGE_TEXT_MAX).join('');
}
