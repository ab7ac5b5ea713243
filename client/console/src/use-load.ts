import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
  /** Replaces the data (after a change the screen already knows the outcome of). */
  set(data: T): void;
}

/** Loads data for a screen, again whenever `deps` change; a late answer to an older request is ignored. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const request = useRef(0);
  const run = useCallback(() => {
    const id = ++request.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => id === request.current && setState({ data, error: null, loading: false }),
      (err: unknown) =>
        id === request.current &&
        setState((s) => ({ data: s.data, error: err instanceof ApiError ? err.message : 'Loading failed.', loading: false })),
    );
  }, deps);
  useEffect(run, [run]);
  return { ...state, reload: run, set: (data: T) => setState({ data, error: null, loading: false }) };
}
