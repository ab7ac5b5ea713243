import { redactContacts } from './redact.js';
import { signWebhook, verifyWebhook } from './webhook-signature.js';

describe('redactContacts', () => {
  it('replaces email addresses and phone numbers, and nothing else', () => {
    expect(redactContacts('Reach me at jane.doe+kap@example.org or (415) 555-0132, thanks')).toBe(
      'Reach me at [email] or [phone], thanks',
    );
    expect(redactContacts('call +1 212 555 0199 after 5')).toBe('call [phone] after 5');
    expect(redactContacts('I took 2 sessions in 2024 and paid $400')).toBe('I took 2 sessions in 2024 and paid $400');
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
