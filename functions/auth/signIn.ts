import { signIn, signInBody, SESSION_SECONDS } from '../../shared/auth/signIn';
import { endpoint, httpHandler, sessionCookie } from '../../shared/http/httpHandler';

export const handler = httpHandler({
  'POST /api/auth/sign-in': endpoint({
    body: signInBody,
    async run({ body, deps, sourceAddress }) {
      const { token, account } = await signIn(deps.store, body, deps.clock, sourceAddress);
      return {
        status: 200,
        body: { user: { displayName: account.displayName, email: account.email, role: account.role } },
        cookies: [sessionCookie(token, SESSION_SECONDS)],
      };
    },
  }),
});
