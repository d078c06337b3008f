/** The browser side of the API: JSON in and out, errors with field messages kept for forms. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, string> = {},
    /** The API's error code, e.g. stale_plan or run_in_progress. */
    readonly code: string = '',
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
    const problem = (parsed ?? {}) as { message?: string; fields?: Record<string, string>; error?: string };
    throw new ApiError(
      response.status,
      problem.message ?? `Request failed (${response.status})`,
      problem.fields ?? {},
      problem.error ?? '',
    );
  }
  return parsed as T;
}

// The API's shapes come from the server's own types (type-only: nothing of the server is bundled).
export type { Role, SyncStatus } from '../../shared/domain/records';
export type { SessionView } from '../../shared/auth/describeSession';
export type { SyncOverview } from '../../shared/wizard/overview';
export type { TeacherRow, PupilRow, PupilList, TeacherList } from '../../shared/users/listUsers';
export type { ConnectionView } from '../../shared/connection/authorisation';
export type { DeletedPupilView, DeletedTeacherView } from '../../shared/users/recentlyDeleted';
export type { RunView } from '../../shared/sync/runs';
export type { LoadView } from '../../shared/sync/loads';
export type { ReviewPlan } from '../../shared/wizard/review/plan';
export type { FinishView } from '../../shared/wizard/finish/useCases';
export type { ClassMarking, MarkingOverview, ResultView } from '../../shared/results/marking';
export type { DeliveryRow, DeliveryState, DeliveryStatusList } from '../../shared/results/deliveryStatus';
export type { ReviewRow, ReviewStatus, Overwrite } from '../../shared/wizard/review/rows';
export type { SyncState } from '../../shared/core/syncState';
export type { HubTeacherView, MisStaffView, TeacherRow as TeacherReviewRow } from '../../shared/wizard/teachers/panel';
export type { TeachersPanelView } from '../../shared/wizard/teachers/useCases';
export type { HubYearGroupView, MisYearGroupView, YearGroupsReview } from '../../shared/wizard/yearGroups/panel';
export type { PanelView } from '../../shared/wizard/review/panel';
export type { HubClassView, MisClassView, ClassesReview, YearGroupOption } from '../../shared/wizard/classes/panel';
export type { HubPupilView, MisPupilView, PupilsReview } from '../../shared/wizard/pupils/panel';
export type { PupilSelectionView } from '../../shared/wizard/pupils/useCases';
