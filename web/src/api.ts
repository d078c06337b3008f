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

export type Role = 'access_coordinator' | 'teacher';
export type SyncStatus = 'synced' | 'out_of_sync' | 'none';

export interface SessionView {
  user: { displayName: string; email: string; role: Role };
  centre: { name: string };
}

export interface SyncOverview {
  connection: { status: 'not_connected' | 'connected' | 'deauthorised' };
  steps: { id: string; title: string; available: boolean }[];
}

export interface TeacherRow {
  teacherId: string;
  title: string | null;
  firstName: string;
  lastName: string;
  email: string | null;
  synced: SyncStatus;
}

export interface PupilRow {
  pupilId: string;
  firstName: string;
  lastName: string;
  username: string;
  yearGroup: string | null;
  synced: SyncStatus;
}
