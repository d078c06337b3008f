import { checkSetPasswordBody, checkSetPasswordToken, setPassword, setPasswordBody } from '../../shared/auth/setPassword';
import { FORGOT_PASSWORD_ANSWER, forgotPasswordBody, requestPasswordReset } from '../../shared/auth/gettingBackIn';
import { endpoint, httpHandler } from '../../shared/http/httpHandler';

export const handler = httpHandler({
  'POST /api/auth/set-password/check': endpoint({
    body: checkSetPasswordBody,
    async run({ body, deps }) {
      return { status: 200, body: await checkSetPasswordToken(deps.store, body.token, deps.clock) };
    },
  }),
  'POST /api/auth/set-password': endpoint({
    body: setPasswordBody,
    async run({ body, deps }) {
      await setPassword(deps.store, body, deps.clock);
      return { status: 204 };
    },
  }),
  'POST /api/auth/forgot-password': endpoint({
    body: forgotPasswordBody,
    async run({ body, deps, sourceAddress }) {
      await requestPasswordReset(deps, body, sourceAddress);
      return { status: 202, body: { message: FORGOT_PASSWORD_ANSWER } };
    },
  }),
});
