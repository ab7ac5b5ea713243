import { BadRequestException, StandardSchemaValidationPipe } from '@nestjs/common';
import { formatPath } from '../knowledge/corpus-loader.js';
import { standardValidate } from '../validation/safe-parse.js';

type IssuePath = ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined;

/** An issue's path as `entry.sources[0].url`. */
export function issuePath(path: IssuePath): string {
  return formatPath((path ?? []).map((p) => (typeof p === 'object' && p !== null ? p.key : p)));
}

type Schema = Parameters<StandardSchemaValidationPipe['validate']>[1];

class GuardedValidationPipe extends StandardSchemaValidationPipe {
  // A check that throws on hostile input (validation/safe-parse.ts) is a refusal, not a 500.
  override validate<T>(value: unknown, schema: Schema, options?: Record<string, unknown>) {
    return standardValidate(() => super.validate<T>(value, schema, options)) as never;
  }
}

/**
 * Validates `@Body({ schema })`, `@Query({ schema })` and `@Param(name, { schema })` with their zod
 * schemas. Refusals are `400 { error: { code: 'invalid_request', message }, errors: [{ path, message }] }`.
 */
export const apiValidation = new GuardedValidationPipe({
  exceptionFactory: (issues) => {
    const errors = issues.map((i) => ({ path: issuePath(i.path) || '(request)', message: i.message }));
    return new BadRequestException({
      error: { code: 'invalid_request', message: errors.map((e) => `${e.path}: ${e.message}`).join('; ') },
      errors,
    });
  },
});
