/**
 * Domain errors the core throws. They say what went wrong in the school's terms and carry no
 * transport detail: the HTTP adapter (shared/http/) maps each kind to a status in one place.
 */
export type FieldErrors = Record<string, string>;

export type DomainErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'too_many_requests'
  | 'unavailable'
  | 'too_large'
  | 'method_not_allowed';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
}

/** The request's fields are wrong; each message names what to correct. Nothing was written. */
export class ValidationError extends DomainError {
  readonly kind = 'invalid';
  constructor(readonly fields: FieldErrors) {
    super('Please correct the highlighted fields');
  }
}

export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
  constructor(message = 'Please sign in') {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  constructor(message = 'Only the Access Co-ordinator can do this') {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
  constructor(message = 'Not found') {
    super(message);
  }
}

/** The request conflicts with the state it acts on: something else is running, or the plan moved on. */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  constructor(
    message: string,
    /** A machine-readable reason the web app can act on (e.g. reload a stale plan). */
    readonly reason: string = 'conflict',
    /** The fields that conflict, each with why (e.g. a synced record's fields, managed by the MIS). */
    readonly fields: FieldErrors = {},
  ) {
    super(message);
  }
}

export class UnprocessableError extends DomainError {
  readonly kind = 'unprocessable';
}

export class TooManyRequestsError extends DomainError {
  readonly kind = 'too_many_requests';
  constructor(
    readonly retryAfterSeconds: number,
    what = 'Too many attempts.',
  ) {
    super(`${what} Please try again in ${waitPhrase(retryAfterSeconds)}.`);
  }
}

/** A service the request needs (Step Functions, Assembly) did not answer; nothing was changed. */
export class UnavailableError extends DomainError {
  readonly kind = 'unavailable';
}

/** The request body is larger than the API reads. */
export class PayloadTooLargeError extends DomainError {
  readonly kind = 'too_large';
  constructor(limitBytes: number) {
    super(`The request is too large: send at most ${Math.round(limitBytes / 1024)} KB.`);
  }
}

/** A known path asked with a method it does not have. */
export class MethodNotAllowedError extends DomainError {
  readonly kind = 'method_not_allowed';
  constructor(readonly allow: readonly string[]) {
    super(`This address does not take that request. It takes ${allow.join(', ')}.`);
  }
}

/** "45 seconds", "4 minutes": how long to wait, as a person would say it. */
export function waitPhrase(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}
