import { validateConfig } from './config.schema.js';

describe('validateConfig', () => {
  it('applies the defaults', () => {
    const config = validateConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATA_DIR).toBe('./data');
    expect(config.MATCH_THRESHOLD).toBeGreaterThan(0);
    expect(config.CLINIC_PHONE).toBeUndefined();
  });

  it('reads numbers and booleans from strings', () => {
    const config = validateConfig({ PORT: '8080', KNOWLEDGE_WATCH: 'true', MATCH_THRESHOLD: '0.5' });
    expect(config.PORT).toBe(8080);
    expect(config.KNOWLEDGE_WATCH).toBe(true);
    expect(config.MATCH_THRESHOLD).toBe(0.5);
  });

  it('treats an empty value as unset', () => {
    expect(validateConfig({ PORT: '' }).PORT).toBe(3000);
  });

  it('stops with a message naming every bad variable', () => {
    expect(() => validateConfig({ PORT: 'eighty', MATCH_THRESHOLD: '2', CLINIC_PHONE: 'call us' })).toThrow(
      /PORT[\s\S]*MATCH_THRESHOLD[\s\S]*CLINIC_PHONE/,
    );
  });
});
