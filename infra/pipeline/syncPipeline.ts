import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PIPELINE_TIMEOUT_SECONDS } from '../../shared/sync/runs';

/** The nightly machine's timeout: the whole night, 10 hours. */
export const NIGHTLY_TIMEOUT_SECONDS = 10 * 60 * 60;
/** Centres synced at once in each page's Map (the ASL file's MaxConcurrency; a test holds them together). */
export const NIGHTLY_CENTRES_AT_ONCE = 20;

/**
 * The state machines, declared once: each ASL file beside this one, and which handler module
 * runs each task. The CDK app substitutes the deployed functions' ARNs; the local runtime runs
 * the same definitions in aws-local-stepfunctions with the same modules.
 */
export interface StateMachineDeclaration {
  name: string;
  asl: string;
  /** The environment variable handlers read the machine's ARN from. */
  arnVariable: string;
  /** Must equal the ASL file's TimeoutSeconds (a test holds them together). */
  timeoutSeconds: number;
  tasks: Record<string, TaskDeclaration>;
  /** Values that differ between AWS and the local runtime (e.g. a Map's processing mode). */
  constants?: Record<string, { aws: string; local: string }>;
}

export type TaskDeclaration =
  | { substitution: string; handler: string; usesAssembly?: boolean; sendsEmail?: boolean }
  /** A child execution of another declared machine (`states:startExecution.sync:2`), its ARN substituted. */
  | { substitution: string; startsMachine: 'sync' };

export const isLambdaTask = (task: TaskDeclaration): task is Extract<TaskDeclaration, { handler: string }> => 'handler' in task;

/** Each task's Lambda timeout: a task that calls Assembly may wait on it for longer. */
export function taskTimeoutSeconds(task: { usesAssembly?: boolean }): number {
  return task.usesAssembly ? 600 : 300;
}

export const syncPipelineTasks = {
  Backup: { substitution: 'BackupFunctionArn', handler: 'pipeline/backup' },
  Recheck: { substitution: 'RecheckFunctionArn', handler: 'pipeline/recheck' },
  Apply: { substitution: 'ApplyFunctionArn', handler: 'pipeline/apply' },
  Notify: { substitution: 'NotifyFunctionArn', handler: 'pipeline/notify', sendsEmail: true },
  Finish: { substitution: 'FinishFunctionArn', handler: 'pipeline/finish' },
  RecordFailure: { substitution: 'FailFunctionArn', handler: 'pipeline/fail' },
};

export const SYNC_PIPELINE_ASL = join(import.meta.dirname, 'syncPipeline.asl.json');

export const stateMachines = {
  /** Save and sync (later the nightly sync): every Hub-writing run. */
  sync: {
    name: 'SyncPipeline',
    asl: SYNC_PIPELINE_ASL,
    arnVariable: 'SYNC_STATE_MACHINE_ARN',
    timeoutSeconds: PIPELINE_TIMEOUT_SECONDS,
    tasks: syncPipelineTasks,
  },
  /**
   * The nightly sync over every connected centre (docs/nightly-sync.md): pages of centres, a Map
   * over each (Distributed on AWS: each centre a child execution with its own history; inline
   * locally, where aws-local-stepfunctions runs ItemProcessor but not distributed child runs).
   */
  nightly: {
    name: 'NightlySync',
    asl: join(import.meta.dirname, 'nightlySync.asl.json'),
    arnVariable: 'NIGHTLY_STATE_MACHINE_ARN',
    timeoutSeconds: NIGHTLY_TIMEOUT_SECONDS,
    tasks: {
      ListCentres: { substitution: 'ListCentresFunctionArn', handler: 'nightly/listCentres' },
      PlanCentre: { substitution: 'PlanCentreFunctionArn', handler: 'nightly/planCentre', usesAssembly: true },
      RunPipeline: { substitution: 'SyncStateMachineArn', startsMachine: 'sync' },
      CloseCentre: { substitution: 'CloseCentreFunctionArn', handler: 'nightly/closeCentre', sendsEmail: true },
      CloseAfterFailure: { substitution: 'CloseCentreFunctionArn', handler: 'nightly/closeCentre', sendsEmail: true },
    },
    constants: { MapMode: { aws: 'DISTRIBUTED', local: 'INLINE' } },
  },
  /** A panel's MIS records fetched from Assembly, as a job the panel polls. */
  load: {
    name: 'LoadJobs',
    asl: join(import.meta.dirname, 'loadJobs.asl.json'),
    arnVariable: 'LOAD_STATE_MACHINE_ARN',
    // Fetch: at most three attempts of 10 minutes each, and a minute's wait for Assembly's rate limit.
    timeoutSeconds: 45 * 60,
    tasks: {
      Fetch: { substitution: 'FetchFunctionArn', handler: 'pipeline/load', usesAssembly: true },
      RecordLoadFailure: { substitution: 'LoadFailedFunctionArn', handler: 'pipeline/loadFailed' },
    },
  },
} satisfies Record<string, StateMachineDeclaration>;

export function stateMachineDefinition(declaration: StateMachineDeclaration, substitutions: Record<string, string>): string {
  return readFileSync(declaration.asl, 'utf8').replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const value = substitutions[name];
    if (value === undefined) throw new Error(`No substitution for \${${name}} in ${declaration.name}`);
    return value;
  });
}

export function syncPipelineDefinition(substitutions: Record<string, string>): string {
  return stateMachineDefinition(stateMachines.sync, substitutions);
}
