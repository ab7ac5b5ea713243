import { z } from 'zod';
import { parse, safeParse, standardValidate } from './safe-parse.js';

// A JSON payload can carry any own keys: a `length` whose valueOf and toString are not functions.
const hostile = { length: { valueOf: 1, toString: 2 } };
const schema = z.object({ id: z.string().min(1) });

describe('safeParse', () => {
  it('turns a check that throws into a failed result', () => {
    expect(() => schema.safeParse({ id: hostile })).toThrow(TypeError); // why the guard exists
    const result = safeParse(schema, { id: hostile });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toBe('the payload is malformed');
  });

  it('passes good and ordinary bad input through unchanged', () => {
    expect(safeParse(schema, { id: 'a' })).toEqual({ success: true, data: { id: 'a' } });
    expect(safeParse(schema, { id: '' }).error?.issues[0].code).toBe('too_small');
  });

  it('parse throws only a ZodError', () => {
    expect(() => parse(schema, { id: hostile })).toThrow(z.ZodError);
    expect(parse(schema, { id: 'b' })).toEqual({ id: 'b' });
  });

  it('standardValidate turns a throwing Standard Schema validation into an issue', async () => {
    await expect(standardValidate(() => schema['~standard'].validate({ id: hostile }))).resolves.toEqual({
      issues: [{ message: 'the payload is malformed' }],
    });
    await expect(standardValidate(() => schema['~standard'].validate({ id: 'c' }))).resolves.toEqual({ value: { id: 'c' } });
  });
});
