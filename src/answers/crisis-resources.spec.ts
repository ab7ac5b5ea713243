import path from 'node:path';
import { projectRoot } from '../paths.js';
import { loadReplyTexts } from './reply-texts.js';

/**
 * The crisis resources are pinned, number, keyword and link, as checked against each service's official
 * page (the sources are cited in knowledge/replies/<locale>.yaml). A change here must be checked again.
 */
describe('crisis resources (US)', () => {
  const texts = loadReplyTexts(path.join(projectRoot, 'knowledge/replies'));
  const byId = (locale: 'en' | 'es') => Object.fromEntries(texts[locale].resources.US.map((r) => [r.id, r]));

  it('Spanish: 988 by phone (press 2), by text with AYUDA, chat at its Spanish address; Crisis Text Line AYUDA and WhatsApp', () => {
    const es = byId('es');
    expect(es['911']).toMatchObject({ href: 'tel:911', immediate: true });
    expect(es['988-call']).toMatchObject({ href: 'tel:988', label: expect.stringMatching(/marque 2/) });
    expect(es['988-text']).toMatchObject({ href: 'sms:988?&body=AYUDA', label: expect.stringMatching(/AYUDA al 988/) });
    expect(es['988-chat']).toMatchObject({ href: 'https://988lineadevida.org/' });
    expect(es['crisis-text-line']).toMatchObject({
      href: 'sms:741741?&body=AYUDA',
      label: expect.stringMatching(/AYUDA al 741741/),
    });
    expect(es['crisis-text-line-whatsapp']).toMatchObject({
      href: 'https://wa.me/14422983263',
      label: expect.stringMatching(/442-AYUDAME/),
    });
    // Nothing sends a Spanish speaker to an English-only keyword, and "press 2" is never offered for texts.
    for (const r of texts.es.resources.US) {
      expect(r.href).not.toMatch(/body=HOME/);
      if (r.href.startsWith('sms:')) expect(`${r.label} ${r.description}`).not.toMatch(/marque 2/);
    }
    expect(texts.es.resourcesLine.concern).not.toMatch(/mensaje de texto al 988 \(marque 2/);
  });

  it('English: 988 call, text and chat; Crisis Text Line HOME to 741741; 911 for immediate danger', () => {
    const en = byId('en');
    expect(en['911']).toMatchObject({ href: 'tel:911', immediate: true });
    expect(en['988-call']).toMatchObject({ href: 'tel:988' });
    expect(en['988-text']).toMatchObject({ href: 'sms:988' });
    expect(en['988-chat']).toMatchObject({ href: 'https://988lifeline.org/chat/' });
    expect(en['crisis-text-line']).toMatchObject({ href: 'sms:741741?&body=HOME', label: 'Text HOME to 741741' });
  });
});
