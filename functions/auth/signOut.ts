import { signOut } from '../../shared/auth/signIn';
import { clearedSessionCookie, endpoint, httpHandler, SESSION_COOKIE } from '../../shared/http/httpHandler';

export const handler = httpHandler({
  'POST /api/auth/sign-out': endpoint({
    body: 'none',
    async run({ cookies, deps }) {
      const token = cookies[SESSION_COOKIE];
      if (token) await signOut(deps.store, token);
      return { status: 204, cookies: [clearedSessionCookie()] };
    },
  }),
});
