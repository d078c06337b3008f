import { api } from './api';

/**
 * Sends the browser to Assembly to authorise the connection (again): the Hub issues a
 * single-use state bound to this user, and Assembly sends the school back to the callback.
 */
export async function goToAssemblyAuthorisation(): Promise<void> {
  const { authorizeUrl } = await api<{ authorizeUrl: string }>('POST', '/api/sync/authorisation/start');
  window.location.assign(authorizeUrl);
}
