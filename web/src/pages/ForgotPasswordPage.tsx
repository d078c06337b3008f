import { useState } from 'react';
import { api } from '../api';
import { EmailField, FormAlert } from '../Field';
import { useSubmit } from '../useSubmit';
import { navigate } from '../router';

/** “Forgot your password?”: the answer is the same whether or not an account uses the address. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [answer, setAnswer] = useState<string | null>(null);
  const { submit, busy, problem } = useSubmit(async () => {
    setAnswer((await api<{ message: string }>('POST', '/api/auth/forgot-password', { email })).message);
  });

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
          <EmailField value={email} onChange={setEmail} error={problem?.fields.email} />
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
