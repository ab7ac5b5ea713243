import { findPhoneNumbersInText } from 'libphonenumber-js';

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;

/**
 * Replaces email addresses and phone numbers with placeholders. Phone numbers are found by
 * libphonenumber-js (Google's libphonenumber rules), not by a home-made pattern.
 */
export function redactContacts(text: string, defaultCountry: 'US' = 'US'): string {
  let out = text.replace(EMAIL, '[email]');
  // Replace from the end so earlier offsets stay valid.
  const phones = findPhoneNumbersInText(out, defaultCountry).sort((a, b) => b.startsAt - a.startsAt);
  for (const p of phones) out = `${out.slice(0, p.startsAt)}[phone]${out.slice(p.endsAt)}`;
  return out;
}
