import type { AssemblyConnection, NightlyRecord } from '../domain/records';
import { wizardSteps, type WizardStepId } from './steps';

export interface SyncOverview {
  connection: { status: 'not_connected' | 'connected' | 'deauthorised' };
  steps: { id: WizardStepId; title: string; available: boolean }[];
  /** The newest nightly sync: when, how it ended, what it changed, and what waits for the co-ordinator. */
  nightly: NightlyView | null;
}

export type NightlyView = Pick<NightlyRecord, 'status' | 'startedAt' | 'finishedAt' | 'counts' | 'waiting' | 'note' | 'full'>;

/** The wizard's steps from the registry; steps not yet built say "not available yet". */
export function syncOverview(connection: AssemblyConnection | null, nightly: NightlyRecord | null = null): SyncOverview {
  return {
    connection: { status: connection?.status ?? 'not_connected' },
    steps: wizardSteps.map(({ id, title, available }) => ({ id, title, available })),
    nightly: nightly
      ? {
          status: nightly.status,
          startedAt: nightly.startedAt,
          finishedAt: nightly.finishedAt,
          counts: nightly.counts,
          waiting: nightly.waiting,
          note: nightly.note,
          full: nightly.full,
        }
      : null,
  };
}
