import type { AssemblyConnection } from '../domain/records';

/** The MIS data sync wizard's steps, in the order the product guide walks through them. */
export const wizardSteps = [
  { id: 'authorisation', title: 'Authorisation' },
  { id: 'teachers', title: 'Teachers' },
  { id: 'year-groups', title: 'Year groups' },
  { id: 'classes', title: 'Classes' },
  { id: 'pupils', title: 'Pupils' },
  { id: 'finish', title: 'Finish' },
] as const;

export type WizardStepId = (typeof wizardSteps)[number]['id'];

export interface SyncOverview {
  connection: { status: 'not_connected' | 'connected' | 'deauthorised' };
  steps: { id: WizardStepId; title: string; available: boolean }[];
}

/** Steps light up as their features land; until then the wizard says they are not available yet. */
const AVAILABLE_STEPS: ReadonlySet<WizardStepId> = new Set<WizardStepId>(['authorisation', 'teachers']);

export function syncOverview(connection: AssemblyConnection | null): SyncOverview {
  return {
    connection: { status: connection?.status ?? 'not_connected' },
    steps: wizardSteps.map((step) => ({ ...step, available: AVAILABLE_STEPS.has(step.id) })),
  };
}
