/** Typed failures of the Assembly API, so callers can tell the user what to do. */
export class AssemblyError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'AssemblyError';
  }
}

/** The school has revoked our access (or the refresh token no longer works): re-authorise. */
export class AssemblyRevokedError extends AssemblyError {
  constructor() {
    super('The school’s Assembly authorisation has been revoked', 401);
    this.name = 'AssemblyRevokedError';
  }
}

/** The school did not grant a scope this call needs. */
export class AssemblyScopeError extends AssemblyError {
  constructor(readonly scope: string) {
    super(`The school has not granted the "${scope}" scope`, 401);
    this.name = 'AssemblyScopeError';
  }
}

/** Still rate limited after the retries we allow ourselves. */
export class AssemblyRateLimitError extends AssemblyError {
  constructor(readonly retryAfterSeconds: number) {
    super(`Assembly's rate limit was reached; try again in ${retryAfterSeconds} s`, 429);
    this.name = 'AssemblyRateLimitError';
  }
}

/** Assembly (or the network to it) kept failing after bounded retries. */
export class AssemblyUnavailableError extends AssemblyError {
  constructor(detail: string, status: number | null) {
    super(`Assembly is not answering (${detail})`, status);
    this.name = 'AssemblyUnavailableError';
  }
}

/** Assembly's token endpoint refused a request; `code` is its OAuth error (invalid_grant, …). */
export class AssemblyTokenError extends AssemblyError {
  constructor(
    readonly code: string | null,
    status: number,
  ) {
    super(`Assembly refused the token request (${code ?? status})`, status);
    this.name = 'AssemblyTokenError';
  }
}

/**
 * Assembly refused the app's own credentials (invalid_client): the client secret was rotated in
 * Assembly's dashboard and not yet here, or the reverse. Every school is affected, none revoked.
 */
export class AssemblyClientRejectedError extends AssemblyError {
  constructor() {
    super('Assembly refused the app’s client credentials', 401);
    this.name = 'AssemblyClientRejectedError';
  }
}
