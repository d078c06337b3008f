import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { Field, FormAlert } from '../Field';
import { navigate } from '../router';

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
        <Field
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={problem?.fields.email}
        />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={problem?.fields.password}
        />
        <FormAlert problem={problem} />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        <button type="button" className="link" onClick={() => navigate('/forgot-password')}>
          Forgot your password?
        </button>
      </p>
    </main>
  );
}
