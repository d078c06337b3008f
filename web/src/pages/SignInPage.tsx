import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';

export function SignInPage({ onSignedIn }: { onSignedIn(): Promise<void> }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await api('POST', '/api/auth/sign-in', { email, password });
      await onSignedIn();
    } catch (error) {
      setProblem(error instanceof ApiError ? error : new ApiError(0, 'Could not reach the Admin Hub. Check your connection.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="card narrow">
      <h1>Sign in to Admin Hub</h1>
      <form onSubmit={submit} noValidate>
        <label>
          Email
          <input
            type="email"
            name="email"
            autoComplete="username"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            aria-invalid={Boolean(problem?.fields.email)}
          />
        </label>
        {problem?.fields.email && <p className="field-error">{problem.fields.email}</p>}
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            aria-invalid={Boolean(problem?.fields.password)}
          />
        </label>
        {problem?.fields.password && <p className="field-error">{problem.fields.password}</p>}
        {problem && Object.keys(problem.fields).length === 0 && (
          <p className="error" role="alert">
            {problem.message}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
