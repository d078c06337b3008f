import type { RunKind, RunKinds } from '../sync/runs';
import { teachersRun } from './teachers/sync';

/**
 * The MIS data sync wizard, declared once: its steps in the order the product guide walks
 * through them, whether each is available yet, and the pipeline steps of the panels that
 * write to the Hub. The API overview and the web app's step navigation read this list; the
 * pipeline's entry points hand `runKinds` to the pipeline. A new panel is a folder beside
 * teachers/ and one entry here.
 */
export interface WizardStep {
  id: 'authorisation' | 'teachers' | 'year-groups' | 'classes' | 'pupils' | 'finish';
  title: string;
  available: boolean;
  /** The panel's Save and sync, when it has one. */
  run?: RunKind<never>;
}

export const wizardSteps: readonly WizardStep[] = [
  { id: 'authorisation', title: 'Authorisation', available: true },
  { id: 'teachers', title: 'Teachers', available: true, run: teachersRun as RunKind<never> },
  { id: 'year-groups', title: 'Year groups', available: false },
  { id: 'classes', title: 'Classes', available: false },
  { id: 'pupils', title: 'Pupils', available: false },
  { id: 'finish', title: 'Finish', available: false },
];

export type WizardStepId = WizardStep['id'];

export const runKinds: RunKinds = new Map(wizardSteps.flatMap((step) => (step.run ? [[step.run.kind, step.run] as const] : [])));
