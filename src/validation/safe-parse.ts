import { z } from 'zod';

const MALFORMED = 'the payload is malformed';

/**
 * `schema.safeParse` that never throws. zod 4 runs a length check (`.min`) on any input that has a
 * `length` property, even after the type check failed, and comparing a hostile `{ length: { valueOf: 1 } }`
 * throws a TypeError: bad input must get a validation error, not an internal one.
 */
export function safeParse<S extends z.ZodType>(schema: S, input: unknown): z.ZodSafeParseResult<z.output<S>> {
  try {
    return schema.safeParse(input);
  } catch {
    return { success: false, error: new z.ZodError([{ code: 'custom', message: MALFORMED, path: [], input }]) } as z.ZodSafeParseResult<
      z.output<S>
    >;
  }
}

/** `schema.parse` that throws only a ZodError (see safeParse). */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = safeParse(schema, input);
  if (!result.success) throw result.error;
  return result.data;
}

/** The same guard for Standard Schema validation (the HTTP pipe): a throwing check becomes an issue. */
export async function standardValidate(
  run: () => unknown,
): Promise<{ value?: unknown; issues?: ReadonlyArray<{ message: string; path?: ReadonlyArray<PropertyKey> }> }> {
  try {
    return (await run()) as { value?: unknown; issues?: ReadonlyArray<{ message: string }> };
  } catch {
    return { issues: [{ message: MALFORMED }] };
  }
}
