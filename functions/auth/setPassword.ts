import { checkSetPasswordBody, checkSetPasswordToken, setPassword, setPasswordBody } from '../../shared/auth/setPassword';
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
});
