import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The project root, found from this file's own location so it is the same whether the code runs from
 * `src/` (tests) or `dist/` (after `npm run build`): both sit one level below the root.
 */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Resolves a configured path (absolute, or relative to the project root). */
export function resolveFromRoot(p: string): string {
  return path.isAbsolute(p) ? p : path.resolve(projectRoot, p);
}
