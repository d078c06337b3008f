import { fallbackHandler } from '../../shared/http/httpHandler';

/** The API's `$default` route: 405 with `Allow` for a known path, 404 otherwise, in the app's error shape. */
export const handler = fallbackHandler;
