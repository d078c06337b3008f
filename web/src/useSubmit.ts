import { useState, type FormEvent } from 'react';
import { ApiError } from './api';

/**
 * A form's submit: busy while the request runs, and the API's problem (field messages or one
 * message) when it fails, or a plain one when the Hub could not be reached.
 */
export function useSubmit(action: () => Promise<void>) {
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await action();
    } catch (error) {
      setProblem(error instanceof ApiError ? error : new ApiError(0, 'Could not reach the Admin Hub. Check your connection.'));
    } finally {
      setBusy(false);
    }
  };
  return { submit, busy, problem };
}
