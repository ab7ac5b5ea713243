import { BadRequestException, StandardSchemaValidationPipe } from '@nestjs/common';
import { formatPath } from '../knowledge/corpus-loader.js';

type IssuePath = ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined;

/** An issue's path as `entry.sources[0].url`. */
export function issuePath(path: IssuePath): string {
  return formatPath((path ?? []).map((p) => (typeof p === 'object' && p !== null ? p.key : p)));
}

/**
 * Validates `@Body({ schema })`, `@Query({ schema })` and `@Param(name, { schema })` with their zod
 * schemas. Refusals are `400 { error: { code: 'invalid_request', message }, errors: [{ path, message }] }`.
 */
export const apiValidation = new StandardSchemaValidationPipe({
  exceptionFactory: (issues) => {
    const errors = issues.map((i) => ({ path: issuePath(i.path) || '(request)', message: i.message }));
    return new BadRequestException({
      error: { code: 'invalid_request', message: errors.map((e) => `${e.path}: ${e.message}`).join('; ') },
      errors,
    });
  },
});
