import { useEffect, useState } from 'react';
import { ApiError } from './api';

export type Loaded<T> = { state: 'loading' } | { state: 'done'; value: T } | { state: 'failed'; error: ApiError | Error };

/** Runs `load` whenever `keys` change; a newer run wins over an older one still in flight. */
export function useLoad<T>(load: () => Promise<T>, keys: readonly unknown[]): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    load().then(
      (value) => current && setLoaded({ state: 'done', value }),
      (error: unknown) => current && setLoaded({ state: 'failed', error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => {
      current = false;
    };
  }, keys);
  return loaded;
}

export const isNotFound = (loaded: Loaded<unknown>): boolean => loaded.state === 'failed' && loaded.error instanceof ApiError && loaded.error.status === 404;
