import { useEffect, useState } from 'react';
import { api, ApiError } from './api';

/** Loads one GET endpoint for a page, with the states the page has to show. */
export function useApi<T>(path: string): { data: T | null; error: string | null } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api<T>('GET', path)
      .then((result) => live && setData(result))
      .catch((problem: unknown) => live && setError(problem instanceof ApiError ? problem.message : 'Could not load this page.'));
    return () => {
      live = false;
    };
  }, [path]);
  return { data, error };
}
