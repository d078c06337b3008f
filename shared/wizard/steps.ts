import type { LoadKind, LoadKinds } from '../sync/loads';
import type { RunKind, RunKinds } from '../sync/runs';
import { nightlyRun } from '../nightly/run';
import { teachersRun } from './teachers/sync';
import { teachersLoad } from './teachers/useCases';
import { classesRun } from './classes/sync';
import { classes } from './classes/useCases';
import { pupilsRun } from './pupils/sync';
import { pupils } from './pupils/useCases';
import { yearGroupsRun } from './yearGroups/sync';
import { yearGroups } from './yearGroups/useCases';

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
  /** The job that loads the panel's MIS records, when it needs Assembly data. */
  load?: LoadKind;
}

export const wizardSteps: readonly WizardStep[] = [
  { id: 'authorisation', title: 'Authorisation', available: true },
  { id: 'teachers', title: 'Teachers', available: true, run: teachersRun as RunKind<never>, load: teachersLoad },
  {
    id: 'year-groups',
    title: 'Year groups',
    available: true,
    run: yearGroupsRun as RunKind<never>,
    load: yearGroups.load,
  },
  { id: 'classes', title: 'Classes', available: true, run: classesRun as RunKind<never>, load: classes.load },
  { id: 'pupils', title: 'Pupils', available: true, run: pupilsRun as RunKind<never>, load: pupils.load },
  // What was synced, and the data sharing preferences; it writes no Hub records, so it has no run.
  { id: 'finish', title: 'Finish', available: true },
];

export type WizardStepId = WizardStep['id'];

/** Every kind of run the pipeline serves: the panels', and the nightly sync's (made of the panels' steps). */
export const runKinds: RunKinds = new Map([
  ...wizardSteps.flatMap((step) => (step.run ? [[step.run.kind, step.run] as const] : [])),
  [nightlyRun.kind, nightlyRun as RunKind<never>],
]);

export const loadKinds: LoadKinds = new Map(
  wizardSteps.flatMap((step) => (step.load ? [[step.load.kind, step.load] as const] : [])),
);
