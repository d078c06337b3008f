import type { AssemblyConnection } from '../domain/records';
import { wizardSteps, type WizardStepId } from './steps';

export interface SyncOverview {
  connection: { status: 'not_connected' | 'connected' | 'deauthorised' };
  steps: { id: WizardStepId; title: string; available: boolean }[];
}

/** The wizard's steps from the registry; steps not yet built say "not available yet". */
export function syncOverview(connection: AssemblyConnection | null): SyncOverview {
  return {
    connection: { status: connection?.status ?? 'not_connected' },
    steps: wizardSteps.map(({ id, title, available }) => ({ id, title, available })),
  };
}
