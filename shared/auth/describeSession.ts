import type { Role, Session } from '../domain/records';
import { UnauthenticatedError } from '../core/errors';
import type { HubStore } from '../store/hubStore';

export interface SessionView {
  user: { displayName: string; email: string; role: Role };
  centre: { name: string };
}

/** Who is signed in and for which centre: what the web app needs to draw its layout. */
export async function describeSession(store: HubStore, session: Session): Promise<SessionView> {
  const [account, centre] = await Promise.all([
    store.getAccount(session.centreId, session.userId),
    store.getCentre(session.centreId),
  ]);
  if (!account || !centre) throw new UnauthenticatedError();
  return { user: { displayName: account.displayName, email: account.email, role: account.role }, centre: { name: centre.name } };
}
