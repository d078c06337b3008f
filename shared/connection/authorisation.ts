import * as z from 'zod';
import { OPTIONAL_SCOPES, type AssemblyClient, type SchoolTokens } from '../assembly/client';
import { AssemblyClientRejectedError, AssemblyRevokedError, AssemblyTokenError } from '../assembly/errors';
import { hashToken, newToken } from '../auth/tokens';
import type { AssemblyConnection, Session } from '../domain/records';
import { ConflictError, UnprocessableError, ValidationError } from '../core/errors';
import type { Dependencies } from '../runtime/dependencies';
import { randomUUID } from 'node:crypto';
import { markOutOfSync } from '../sync/syncState';

const STATE_SECONDS = 10 * 60;
/** How long a refused refresh waits for a concurrent refresh to store its tokens. */
const REFRESH_SETTLE_MS = 1500;

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

const BAD_CODE =
  'Assembly did not accept this authorisation: its code is not valid or has already been used. Please press Authorise again.';

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
  const granted = await assembly.exchangeCode(body.code).catch((error: unknown) => {
    // A code Assembly does not know, or has already exchanged: the link was tampered with or replayed.
    if (error instanceof AssemblyTokenError && error.code === 'invalid_grant') throw new ValidationError({ code: BAD_CODE });
    throw error;
  });
  const tokens: SchoolTokens = { accessToken: granted.access_token, refreshToken: granted.refresh_token ?? null };
  const [school, centre, existing] = await Promise.all([
    assembly.school(tokens),
    deps.store.getCentre(session.centreId),
    deps.store.getAssemblyConnection(session.centreId),
  ]);
  // A refusal below simply does not keep the tokens. Assembly's deauthorize is not called: it
  // switches the app off for the whole school, which may be connected, rightly, to another centre.
  const schoolUrn = school.urn === null || school.urn === undefined ? null : String(school.urn).trim();
  if (schoolUrn && centre?.urn && schoolUrn !== centre.urn.trim())
    throw new UnprocessableError(
      `The school you signed in to in Assembly (URN ${schoolUrn}) is not the school of this Admin Hub account (URN ${centre.urn}). Nothing has been connected. Press Authorise again and sign in to Assembly as ${centre.name}; if the URN here is wrong, contact Hodder Education support.`,
    );
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
    version: 0,
  };
  // A connection ended for another Assembly school first releases that school (same centre, new school).
  if (existing?.status === 'connected' && existing.assemblySchoolId !== connection.assemblySchoolId)
    throw new ConflictError('This centre is already connected to Assembly. Deauthorise it first.', 'already_connected');
  const saved = await deps.store.saveAssemblyConnection(connection, existing?.version ?? null, true);
  if (saved === 'school_taken')
    throw new ConflictError(
      'This Assembly school is already connected to another Admin Hub centre, so it was not connected here. If both centres are the same school, contact Hodder Education support.',
      'school_taken',
    );
  if (saved === 'stale')
    throw new ConflictError('Someone else changed this connection at the same moment. Reload the page.', 'stale_connection');
  await audit(deps, session, 'assembly.authorised', { school: connection.schoolName ?? '' });
  return connectionView({ ...connection, version: (existing?.version ?? 0) + 1 });
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
  const latest = (await deps.store.getAssemblyConnection(session.centreId)) ?? connection;
  if (latest.status !== 'connected') return connectionView(latest);
  const ended = endConnection(latest, deps.clock.now(), 'deauthorised_here');
  if ((await deps.store.saveAssemblyConnection(ended, latest.version)) !== 'saved')
    throw new ConflictError('The connection changed at the same moment. Reload the page and try again.', 'stale_connection');
  if (ended.assemblySchoolId !== null) await deps.store.releaseAssemblySchool(ended.assemblySchoolId, ended.centreId);
  const outOfSync = await markOutOfSync(deps, session.centreId, 'deauthorised');
  await audit(deps, session, 'assembly.deauthorised', { outOfSync: String(outOfSync) });
  return connectionView(ended);
}

/**
 * Runs Assembly calls with the centre's tokens. A refreshed token is stored (encrypted, on the
 * version read) before it is used again. Several Lambdas may refresh at once, and Assembly may
 * rotate refresh tokens, so a refused refresh first re-reads the connection: if another refresh
 * stored new tokens meanwhile, the work runs again with them. Only a refresh refused with
 * invalid_grant on an unchanged connection ends it. If Assembly refuses the app's own secret
 * (rotated), the secret is read again once; no school is disconnected for it.
 */
export async function withSchoolTokens<T>(
  deps: Dependencies,
  connection: AssemblyConnection,
  work: (assembly: AssemblyClient, tokens: SchoolTokens) => Promise<T>,
): Promise<T> {
  const { centreId } = connection;
  const cipher = await deps.tokenCipher();
  let current = connection;
  let secretReread = false;
  let tokensReread = false;
  for (;;) {
    if (current.status !== 'connected' || !current.accessTokenCiphertext) throw new AssemblyRevokedError();
    const held = current;
    const tokens: SchoolTokens = {
      accessToken: await cipher.decrypt(held.accessTokenCiphertext!, centreId),
      refreshToken: held.refreshTokenCiphertext ? await cipher.decrypt(held.refreshTokenCiphertext, centreId) : null,
      onRefreshed: async (fresh) => {
        const next: AssemblyConnection = {
          ...current,
          accessTokenCiphertext: await cipher.encrypt(fresh.accessToken, centreId),
          refreshTokenCiphertext: fresh.refreshToken
            ? await cipher.encrypt(fresh.refreshToken, centreId)
            : current.refreshTokenCiphertext,
          accessTokenExpiresAt: fresh.expiresIn
            ? new Date(deps.clock.now().getTime() + fresh.expiresIn * 1000).toISOString()
            : null,
        };
        if ((await deps.store.saveAssemblyConnection(next, current.version)) === 'saved') {
          current = { ...next, version: current.version + 1 };
          return;
        }
        // Written meanwhile (another refresh): these tokens go onto the latest version, since
        // with rotation the refresh token stored before may be spent.
        const latest = await deps.store.getAssemblyConnection(centreId);
        // Not if it has ended, or was authorised again (a new grant, with its own tokens).
        if (latest?.status !== 'connected' || latest.connectedAt !== current.connectedAt) return;
        const onLatest = { ...latest, ...pick(next) };
        if ((await deps.store.saveAssemblyConnection(onLatest, latest.version)) === 'saved')
          current = { ...onLatest, version: latest.version + 1 };
      },
    };
    try {
      return await work(await deps.assembly(), tokens);
    } catch (error) {
      if (error instanceof AssemblyClientRejectedError && !secretReread) {
        secretReread = true;
        deps.refreshAppSecrets();
        continue;
      }
      if (!(error instanceof AssemblyRevokedError)) throw error;
      let latest = await deps.store.getAssemblyConnection(centreId);
      // A refresh racing this one may have used the refresh token (Assembly rotating it) and
      // not yet stored its answer: give it a moment before believing the school revoked access.
      if (latest?.status === 'connected' && latest.version === current.version && !tokensReread) {
        await new Promise((resolve) => setTimeout(resolve, REFRESH_SETTLE_MS));
        latest = await deps.store.getAssemblyConnection(centreId);
      }
      if (!latest || latest.status !== 'connected') throw error;
      if (latest.version !== held.version && latest.version !== current.version && !tokensReread) {
        tokensReread = true;
        current = latest;
        continue;
      }
      const ended = endConnection(latest, deps.clock.now(), 'revoked_in_assembly');
      if ((await deps.store.saveAssemblyConnection(ended, latest.version)) === 'saved') {
        if (ended.assemblySchoolId !== null) await deps.store.releaseAssemblySchool(ended.assemblySchoolId, centreId);
        await markOutOfSync(deps, centreId, 'deauthorised');
      }
      throw error;
    }
  }
}

/** The token fields of a connection. */
function pick(connection: AssemblyConnection) {
  return {
    accessTokenCiphertext: connection.accessTokenCiphertext,
    refreshTokenCiphertext: connection.refreshTokenCiphertext,
    accessTokenExpiresAt: connection.accessTokenExpiresAt,
  };
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
