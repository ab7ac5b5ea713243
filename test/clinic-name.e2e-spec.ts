import { ask, connectVisitor, startApp } from './support/app.js';

// The configuration is read once per test file, so a clinic without a name gets a file of its own.
describe('a clinic configured without a name', () => {
  it('is called "the clinic" / "la clínica" in the visitor\'s language, never "the the clinic"', async () => {
    const running = await startApp({ CLINIC_PHONE: '+1 555 010 0000' });
    const visitor = await connectVisitor(running.url);
    try {
      const en = await ask(visitor, { text: 'What is the capital of France?' });
      expect(en.type).toBe('fallback');
      expect(en.html).toMatch(/contact the clinic\./);
      const es = await ask(visitor, { text: '¿Cuál es la capital de Francia?', locale: 'es' });
      expect(es.html).toMatch(/comuníquese con la clínica/);
      expect(`${en.html}${es.html}`).not.toMatch(/the the|con the clinic/i);
    } finally {
      visitor.close();
      await running.close();
    }
  });
});
