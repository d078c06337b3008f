import { z } from 'zod';
import { OPTIONAL_SCOPES, type AssemblyClient, type SchoolTokens } from '../assembly/client';
import { AssemblyRevokedError } from '../assembly/errors';
import { hashToken, newToken } from '../auth/tokens';
import type { AssemblyConnection, Session } from '../domain/records';
import { ConflictError, UnprocessableError, ValidationError } from '../core/errors';
import type { Dependencies } from '../runtime/dependencies';
import { randomUUID } from 'node:crypto';
import { markOutOfSync } from '../sync/syncState';

const STATE_SECONDS = 10 * 60;

export const completeAuthorisationBody = z.object({
  state: z.string({ error: 'The link from Assembly has no state' }).min(1, 'The link from Assembly has no state').max(200),
  code: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
});
export type CompleteAuthorisationBody = z.infer<typeof completeAuthorisationBody>;

export const deauthoriseBody = z.object({
  confirm: z.literal(true, { error: 'Confirm that you want to deauthorise' }),
});

export type ConnectionView =
  | { status: 'not_connected' }
  | {
      status: 'connected' | 'deauthorised';
      schoolName: string | null;
      connectedAt: string;
      scopes: string[];
      uploadAssessmentData: boolean;
      deauthorisedAt: string | null;
      revokedInAssembly: boolean;
      syncEnabled: boolean;
    };

export function connectionView(connection: AssemblyConnection | null): ConnectionView {
  if (!connection) return { status: 'not_connected' };
  return {
    status: connection.status,
    schoolName: connection.schoolName,
    connectedAt: connection.connectedAt,
    scopes: connection.scopes,
    uploadAssessmentData: connection.scopes.includes(OPTIONAL_SCOPES[0]),
    deauthorisedAt: connection.deauthorisedAt,
    revokedInAssembly: connection.deauthorisedBecause === 'revoked_in_assembly',
    syncEnabled: connection.syncEnabled,
  };
}

/** The Authorisation panel's status; a live connection is checked with Assembly (one call). */
export async function authorisationStatus(deps: Dependencies, session: Session): Promise<ConnectionView> {
  const connection = await deps.store.getAssemblyConnection(session.centreId);
  if (connection?.status === 'connected') {
    try {
      await withSchoolTokens(deps, connection, (assembly, tokens) => assembly.school(tokens));
    } catch (error) {
      if (!(error instanceof AssemblyRevokedError)) throw error;
    }
    return connectionView(await deps.store.getAssemblyConnection(session.centreId));
  }
  return connectionView(connection);
}

/** Authorise: a single-use state bound to this user and centre, and Assembly's authorize URL. */
export async function startAuthorisation(deps: Dependencies, session: Session): Promise<{ authorizeUrl: string }> {
  const state = newToken();
  const expiresAt = Math.floor(deps.clock.now().getTime() / 1000) + STATE_SECONDS;
  await deps.store.putOAuthState(hashToken(state), { userId: session.userId, centreId: session.centreId, expiresAt });
  return { authorizeUrl: (await deps.assembly()).authorizeUrl(state) };
}

const BAD_STATE =
  'This authorisation could not be completed: the link is not valid, has expired or has already been used. Please press Authorise again.';

/** Assembly sent the school back: check the state, exchange the code, store the tokens encrypted. */
export async function completeAuthorisation(
  deps: Dependencies,
  session: Session,
  body: CompleteAuthorisationBody,
): Promise<ConnectionView> {
  const state = await deps.store.takeOAuthState(hashToken(body.state));
  const now = deps.clock.now();
  if (
    !state ||
    state.expiresAt <= now.getTime() / 1000 ||
    state.userId !== session.userId ||
    state.centreId !== session.centreId
  ) {
    throw new ValidationError({ state: BAD_STATE });
  }
  if (body.error) throw new UnprocessableError('Access was not authorised in Assembly, so nothing has been connected.');
  if (!body.code) throw new ValidationError({ code: 'The link from Assembly has no authorisation code' });

  const assembly = await deps.assembly();
  const granted = await assembly.exchangeCode(body.code);
  const tokens: SchoolTokens = { accessToken: granted.access_token, refreshToken: granted.refresh_token ?? null };
  const school = await assembly.school(tokens);
  const cipher = await deps.tokenCipher();
  const connection: AssemblyConnection = {
    centreId: session.centreId,
    status: 'connected',
    schoolName: school.name ?? null,
    assemblySchoolId: granted.school_id ?? null,
    scopes: granted.scopes ?? [],
    connectedAt: now.toISOString(),
    connectedBy: session.userId,
    deauthorisedAt: null,
    deauthorisedBecause: null,
    syncEnabled: true,
    accessTokenCiphertext: await cipher.encrypt(tokens.accessToken, session.centreId),
    refreshTokenCiphertext: tokens.refreshToken ? await cipher.encrypt(tokens.refreshToken, session.centreId) : null,
    accessTokenExpiresAt: granted.expires_in ? new Date(now.getTime() + granted.expires_in * 1000).toISOString() : null,
  };
  await deps.store.putAssemblyConnection(connection);
  await audit(deps, session, 'assembly.authorised', { school: connection.schoolName ?? '' });
  return connectionView(connection);
}

/** Deauthorise: tell Assembly, forget the tokens, stop all syncing. */
export async function deauthorise(deps: Dependencies, session: Session): Promise<ConnectionView> {
  const connection = await deps.store.getAssemblyConnection(session.centreId);
  if (!connection || connection.status !== 'connected')
    throw new ConflictError('There is no Assembly connection to deauthorise.');
  try {
    await withSchoolTokens(deps, connection, (assembly, tokens) => assembly.deauthorize(tokens));
  } catch (error) {
    // Already revoked in Assembly: nothing more to tell it.
    if (!(error instanceof AssemblyRevokedError)) throw error;
  }
  const ended = endConnection(connection, deps.clock.now(), 'deauthorised_here');
  await deps.store.putAssemblyConnection(ended);
  const outOfSync = await markOutOfSync(deps, session.centreId, 'deauthorised');
  await audit(deps, session, 'assembly.deauthorised', { outOfSync: String(outOfSync) });
  return connectionView(ended);
}

/**
 * Runs Assembly calls with the centre's tokens: a refreshed access token is stored (encrypted)
 * before it is used again; a revoked authorisation ends the connection and stops syncing.
 */
export async function withSchoolTokens<T>(
  deps: Dependencies,
  connection: AssemblyConnection,
  work: (assembly: AssemblyClient, tokens: SchoolTokens) => Promise<T>,
): Promise<T> {
  if (connection.status !== 'connected' || !connection.accessTokenCiphertext) throw new AssemblyRevokedError();
  const cipher = await deps.tokenCipher();
  const { centreId } = connection;
  const tokens: SchoolTokens = {
    accessToken: await cipher.decrypt(connection.accessTokenCiphertext, centreId),
    refreshToken: connection.refreshTokenCiphertext ? await cipher.decrypt(connection.refreshTokenCiphertext, centreId) : null,
    onRefreshed: async (fresh) => {
      const latest = (await deps.store.getAssemblyConnection(centreId)) ?? connection;
      await deps.store.putAssemblyConnection({
        ...latest,
        accessTokenCiphertext: await cipher.encrypt(fresh.accessToken, centreId),
        refreshTokenCiphertext: fresh.refreshToken
          ? await cipher.encrypt(fresh.refreshToken, centreId)
          : latest.refreshTokenCiphertext,
        accessTokenExpiresAt: fresh.expiresIn
          ? new Date(deps.clock.now().getTime() + fresh.expiresIn * 1000).toISOString()
          : null,
      });
    },
  };
  try {
    return await work(await deps.assembly(), tokens);
  } catch (error) {
    if (error instanceof AssemblyRevokedError) {
      const latest = (await deps.store.getAssemblyConnection(centreId)) ?? connection;
      await deps.store.putAssemblyConnection(endConnection(latest, deps.clock.now(), 'revoked_in_assembly'));
      await markOutOfSync(deps, centreId, 'deauthorised');
    }
    throw error;
  }
}

function endConnection(
  connection: AssemblyConnection,
  now: Date,
  because: NonNullable<AssemblyConnection['deauthorisedBecause']>,
): AssemblyConnection {
  return {
    ...connection,
    status: 'deauthorised',
    deauthorisedAt: now.toISOString(),
    deauthorisedBecause: because,
    syncEnabled: false,
    accessTokenCiphertext: null,
    refreshTokenCiphertext: null,
    accessTokenExpiresAt: null,
  };
}

async function audit(deps: Dependencies, session: Session, action: string, detail: Record<string, string>): Promise<void> {
  await deps.store.appendAudit({
    auditId: randomUUID(),
    centreId: session.centreId,
    actorUserId: session.userId,
    action,
    subject: 'assembly-connection',
    at: deps.clock.now().toISOString(),
    detail,
  });
}
