import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type SessionView } from './api';
import { Layout } from './Layout';
import { ForgotPasswordPage } from './pages/ForgotPasswordPage';
import { SetPasswordPage } from './pages/SetPasswordPage';
import { SignInPage } from './pages/SignInPage';
import { navigate, useLocation } from './router';

export function App() {
  const location = useLocation();
  const [session, setSession] = useState<SessionView | null | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      setSession(await api<SessionView>('GET', '/api/auth/session'));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setSession(null);
      else throw error;
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // The link's token is in the fragment, which never reaches a server or its logs.
  if (location.pathname === '/set-password')
    return <SetPasswordPage token={new URLSearchParams(location.hash.slice(1)).get('token') ?? ''} />;
  if (location.pathname === '/forgot-password') return <ForgotPasswordPage />;
  if (session === undefined) return <p className="loading">Loading…</p>;
  if (session === null || location.pathname === '/sign-in') {
    return (
      <SignInPage
        onSignedIn={async () => {
          await refresh();
          navigate('/');
        }}
      />
    );
  }
  return (
    <Layout
      session={session}
      path={location.pathname}
      onSignedOut={() => {
        setSession(null);
        navigate('/sign-in');
      }}
    />
  );
}
