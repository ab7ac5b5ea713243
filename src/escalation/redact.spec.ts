import { redactContacts } from './redact.js';
import { signWebhook, verifyWebhook } from './webhook-signature.js';

/** Each is said inside a sentence; none of its characters may survive except the words around it. */
const EMAILS = [
  'jane.doe+kap@example.org',
  'JANE.DOE@EXAMPLE.ORG',
  'ana_lopez99@gmail.com',
  'a@b.co',
  'maría.pérez@correo.mx',
  'josé@dominio.com.mx',
  'nurse-friend@sub.clinic.example.net',
  'jane_doe99 @ yahoo . com',
  'ana @gmail.com',
  'ana@ gmail.com',
  'ana(at)gmail(dot)com',
  'ana [at] outlook [dot] com',
  'ana {at} hotmail {dot} com',
  'ana (at) gmail (dot) com',
  'ana at gmail dot com',
  'ana dot lopez at gmail dot com',
  'ana at gmail.com',
  'ana arroba hotmail punto com',
  'ana_lopez arroba gmail.com',
  'ana.lopez arroba yahoo punto com punto mx',
  'ana(arroba)gmail(punto)com',
  'luis at protonmail dot me',
  'first.last@university.edu',
];
const PHONES = [
  '555-0100',
  '555 0100',
  '(415) 555-0132',
  '(415)5550132',
  '415.555.0132',
  '415-555-0132',
  '4155550132',
  '+1 212 555 0199',
  '+1-212-555-0199',
  '1-800-273-8255',
  '+1 (212) 555-0199 ext. 12',
  '212 555 0199 x204',
  '+52 55 1234 5678',
  '+52 1 55 1234 5678',
  '55 1234 5678',
  '55-1234-5678',
  '044 55 1234 5678',
  '33-12-34-56-78',
  '81 8765 4321',
  '664 123 4567',
  '(664) 123-4567',
  '+34 612 345 678',
  '612 34 56 78',
  '+503 7123 4567',
  '+502 5123 4567',
  '7123-4567',
  '+1.212.555.0199',
  '212/555/0199',
  'five five five zero one two three four',
  'four one five, five five five, zero one three two',
  'cinco cinco cinco uno dos tres cuatro cinco',
  'seis seis cuatro uno dos tres cuatro cinco seis siete',
];

describe('redactContacts', () => {
  it.each(EMAILS)('redacts the email %s in English and Spanish sentences', (email) => {
    expect(redactContacts(`you can write to ${email} anytime`)).toBe('you can write to [email] anytime');
    expect(redactContacts(`mi correo es ${email} gracias`)).toBe('mi correo es [email] gracias');
  });

  it.each(PHONES)('redacts the phone number %s in English and Spanish sentences', (phone) => {
    expect(redactContacts(`call me at ${phone} after work`)).toBe('call me at [phone] after work');
    expect(redactContacts(`mi número es ${phone} por favor`)).toBe('mi número es [phone] por favor');
  });

  it('leaves ordinary text, dates, times, doses and prices alone', () => {
    for (const text of [
      'I took 2 sessions in 2024 and paid $400',
      'my first session is on 2026-12-03 at 10:30',
      'la cita es el 12/03/2026 a las 4',
      'they gave me 56 mg of Spravato',
      'it cost 1,200 dollars for 6 infusions',
      'we met at the clinic.com website',
      'costó 2.500 pesos',
      'call 988 or text 741741',
    ]) {
      expect(redactContacts(text)).toBe(text);
    }
  });
});

describe('webhook signatures', () => {
  const secret = 'a-shared-secret-of-some-length';
  const body = JSON.stringify({ event: 'flag.new', id: 'f1' });

  it('verify what was signed, and nothing altered, late or signed with another secret', () => {
    const now = 1_800_000_000;
    const signature = signWebhook(secret, now, body);
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(secret, { timestamp: String(now), signature }, body, { now })).toBe(true);
    expect(verifyWebhook(secret, { timestamp: String(now), signature }, `${body} `, { now })).toBe(false);
    expect(verifyWebhook(secret, { timestamp: String(now), signature }, body, { now: now + 301 })).toBe(false);
    expect(verifyWebhook('another-secret-of-some-length', { timestamp: String(now), signature }, body, { now })).toBe(false);
    expect(verifyWebhook(secret, { timestamp: undefined, signature }, body, { now })).toBe(false);
  });
});
