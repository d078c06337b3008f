import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { Field, FormAlert } from '../Field';
import { navigate } from '../router';

/** “Forgot your password?”: the answer is the same whether or not an account uses the address. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [answer, setAnswer] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      setAnswer((await api<{ message: string }>('POST', '/api/auth/forgot-password', { email })).message);
    } catch (error) {
      setProblem(error instanceof ApiError ? error : new ApiError(0, 'Could not reach the Admin Hub. Check your connection.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="card narrow">
      <h1>Choose a new password</h1>
      {answer ? (
        <>
          <p role="status">{answer}</p>
          <p>No email after a few minutes? Check your junk folder, then ask your Access Co-ordinator.</p>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <p>Enter the email address you sign in with. We will email you a link to choose a new password.</p>
          <Field
            label="Email"
            type="email"
            name="email"
            autoComplete="username"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            error={problem?.fields.email}
          />
          <FormAlert problem={problem} />
          <button type="submit" disabled={busy}>
            {busy ? 'Sending…' : 'Email me a link'}
          </button>
        </form>
      )}
      <p>
        <button type="button" className="link" onClick={() => navigate('/sign-in')}>
          Back to sign in
        </button>
      </p>
    </main>
  );
}
