/** The browser side of the API: JSON in and out, errors with field messages kept for forms. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const problem = (parsed ?? {}) as { message?: string; fields?: Record<string, string> };
    throw new ApiError(response.status, problem.message ?? `Request failed (${response.status})`, problem.fields ?? {});
  }
  return parsed as T;
}

// The API's shapes come from the server's own types (type-only: nothing of the server is bundled).
export type { Role, SyncStatus } from '../../shared/domain/records';
export type { SessionView } from '../../shared/auth/describeSession';
export type { SyncOverview } from '../../shared/sync/overview';
export type { TeacherRow, PupilRow } from '../../shared/users/listUsers';
export type { ConnectionView } from '../../shared/connection/authorisation';
