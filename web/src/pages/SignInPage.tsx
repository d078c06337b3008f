import { useState } from 'react';
import { api } from '../api';
import { EmailField, Field, FormAlert } from '../Field';
import { useSubmit } from '../useSubmit';
import { navigate } from '../router';

export function SignInPage({ onSignedIn }: { onSignedIn(): Promise<void> }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { submit, busy, problem } = useSubmit(async () => {
    await api('POST', '/api/auth/sign-in', { email, password });
    await onSignedIn();
  });

  return (
    <main className="card narrow">
      <h1>Sign in to Admin Hub</h1>
      <form onSubmit={submit} noValidate>
        <EmailField value={email} onChange={setEmail} error={problem?.fields.email} />
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
