import { findPhoneNumbersInText } from 'libphonenumber-js';

/**
 * Redaction of contact details in stored transcripts of conversations that were never flagged
 * (STORE_ALL_TRANSCRIPTS): email addresses and phone numbers become `[email]` and `[phone]`, in the
 * forms people type in English and Spanish. It errs on the side of redacting: a long run of digits that
 * is not a date is treated as a phone number.
 */

const LOCAL = String.raw`[\p{L}\p{N}._%+-]+`;
const LABEL = String.raw`[\p{L}\p{N}-]+`;
const TLD = '(?:com|net|org|edu|gov|mx|es|us|io|co|info|me)';
// "ana@x.org", also with spaces around the signs: "jane @ yahoo . com".
const EMAIL = new RegExp(String.raw`${LOCAL}\s*@\s*${LABEL}(?:\s*\.\s*${LABEL})*\s*\.\s*\p{L}{2,}\b`, 'giu');
// A written-out "at" and "dot" (English and Spanish), with or without brackets: "ana dot lopez at gmail
// dot com", "ana(at)gmail(dot)com", "ana arroba hotmail punto com". Only with a common ending, so that
// ordinary sentences with "at" are left alone.
const AT = String.raw`(?:\s*[([{]\s*(?:at|arroba)\s*[)\]}]\s*|\s+(?:at|arroba)\s+)`;
const DOT = String.raw`(?:\.|\s*[([{]\s*(?:dot|punto)\s*[)\]}]\s*|\s+(?:dot|punto)\s+)`;
const SPELLED_EMAIL = new RegExp(`${LOCAL}(?:${DOT}${LOCAL})*${AT}${LABEL}(?:${DOT}${LABEL})*${DOT}${TLD}\\b`, 'giu');

// Digits written as words, seven or more in a row: "five five five, zero one two three...".
const DIGIT_WORDS = 'zero|oh|one|two|three|four|five|six|seven|eight|nine|cero|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve';
const SPOKEN_NUMBER = new RegExp(`\\b(?:(?:${DIGIT_WORDS})[\\s,.-]+){6,}(?:${DIGIT_WORDS})\\b`, 'gi');

// Any run of digits with the separators people put in phone numbers; a phone number when it holds 7 or
// more digits and is not a date or a time.
const DIGIT_RUN = /\+?\(?\d[\d\s().\-/]{5,}\d/g;
const DATE_LIKE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;

export function redactContacts(text: string): string {
  let out = text.replace(EMAIL, '[email]').replace(SPELLED_EMAIL, '[email]');
  // libphonenumber (Google's rules) finds numbers in US and Mexican formats, extensions included.
  for (const country of ['US', 'MX'] as const) {
    const phones = findPhoneNumbersInText(out, country).sort((a, b) => b.startsAt - a.startsAt);
    for (const p of phones) out = `${out.slice(0, p.startsAt)}[phone]${out.slice(p.endsAt)}`;
  }
  out = out.replace(DIGIT_RUN, (run) => {
    const digits = run.replace(/\D/g, '').length;
    return digits >= 7 && !DATE_LIKE.test(run.trim()) ? '[phone]' : run;
  });
  return out.replace(SPOKEN_NUMBER, '[phone]');
}
