import { OPTIONAL_SCOPES } from '../assembly/client';
import type { AssemblyConnection, SharingPreferences } from '../domain/records';

/** Assembly's "upload assessment data" permission: without it no result can be sent. */
export const UPLOAD_SCOPE = OPTIONAL_SCOPES[0];

const NOT_CONNECTED = 'Your school is not connected to Assembly: authorise the connection first.';
const NO_UPLOAD_SCOPE =
  'Your school did not grant “upload assessment data” when it authorised the connection. Authorise again and tick it to share results.';

/** Why results cannot be shared over this connection, in the co-ordinator's words; null when they can. */
export function whyNotSharing(connection: AssemblyConnection | null): string | null {
  if (connection?.status !== 'connected' || !connection.syncEnabled) return NOT_CONNECTED;
  return connection.scopes.includes(UPLOAD_SCOPE) ? null : NO_UPLOAD_SCOPE;
}

/** Results are sent only while the school shares them and the connection allows it. */
export function sendsResults(preferences: SharingPreferences | null, connection: AssemblyConnection | null): boolean {
  return Boolean(preferences?.shareAll) && whyNotSharing(connection) === null;
}
