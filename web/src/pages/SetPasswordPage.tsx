import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { Field, FormAlert } from '../Field';
import { navigate } from '../router';

/**
 * Opened from the link in a welcome email (works once, for 7 days) or a forgot-password email
 * (once, for 1 hour). Setting the password signs the account out everywhere.
 */
export function SetPasswordPage({ token }: { token: string }) {
  const [link, setLink] = useState<{ email: string; purpose: 'welcome' | 'reset' } | null>(null);
  const email = link?.email ?? null;
  const [linkProblem, setLinkProblem] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);

  useEffect(() => {
    api<{ email: string; purpose: 'welcome' | 'reset' }>('POST', '/api/auth/set-password/check', { token })
      .then(setLink)
      .catch((error: unknown) => setLinkProblem(error instanceof ApiError ? error.message : 'Could not check this link.'));
  }, [token]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== confirm) {
      setProblem(new ApiError(400, 'The passwords do not match', { confirm: 'The passwords do not match' }));
      return;
    }
    try {
      await api('POST', '/api/auth/set-password', { token, password });
      setDone(true);
    } catch (error) {
      setProblem(error instanceof ApiError ? error : new ApiError(0, 'Could not reach the Admin Hub.'));
    }
  };

  if (linkProblem) {
    return (
      <main className="card narrow">
        <h1>Set your password</h1>
        <p className="error" role="alert">
          {linkProblem}
        </p>
        <button type="button" onClick={() => navigate('/forgot-password')}>
          Get a new link
        </button>
      </main>
    );
  }
  if (done) {
    return (
      <main className="card narrow">
        <h1>Your password is set</h1>
        <p>You can now sign in with {email}. Anywhere you were signed in before has been signed out.</p>
        <button type="button" onClick={() => navigate('/sign-in')}>
          Sign in
        </button>
      </main>
    );
  }
  return (
    <main className="card narrow">
      <h1>{link?.purpose === 'reset' ? 'Choose a new password' : 'Set your password'}</h1>
      {email ? <p>For {email}</p> : <p className="loading">Checking your link…</p>}
      <form onSubmit={submit} noValidate>
        <Field
          label="New password"
          type="password"
          name="password"
          autoComplete="new-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={problem?.fields.password}
        />
        <Field
          label="Type it again"
          type="password"
          name="confirm"
          autoComplete="new-password"
          value={confirm}
          onChange={(event) => setConfirm(event.target.value)}
          error={problem?.fields.confirm}
        />
        <FormAlert problem={problem} />
        <button type="submit" disabled={!email}>
          Set password
        </button>
      </form>
    </main>
  );
}
