/** Typed errors the core throws; the HTTP adapter maps each to one status in one place. */
export type FieldErrors = Record<string, string>;

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly code = 'invalid_request';
  constructor(readonly fields: FieldErrors) {
    super('Please correct the highlighted fields');
  }
}

export class UnauthenticatedError extends AppError {
  readonly status = 401;
  readonly code = 'unauthenticated';
  constructor(message = 'Please sign in') {
    super(message);
  }
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
  constructor(message = 'Only the Access Co-ordinator can do this') {
    super(message);
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'not_found';
  constructor(message = 'Not found') {
    super(message);
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly code = 'conflict';
}

export class UnprocessableError extends AppError {
  readonly status = 422;
  readonly code = 'unprocessable';
}

export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly code = 'too_many_requests';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many attempts. Please wait ${retryAfterSeconds} seconds and try again.`);
  }
}
