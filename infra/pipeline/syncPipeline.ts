import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The sync pipeline, declared once: the ASL file beside this one, and which handler module
 * runs each task. The CDK app substitutes the deployed functions' ARNs; the local runtime
 * runs the same definition in aws-local-stepfunctions with the same modules.
 */
export const SYNC_PIPELINE_ASL = join(import.meta.dirname, 'syncPipeline.asl.json');

export const syncPipelineTasks = {
  Backup: { substitution: 'BackupFunctionArn', handler: 'pipeline/backup' },
  Recheck: { substitution: 'RecheckFunctionArn', handler: 'pipeline/recheck' },
  Apply: { substitution: 'ApplyFunctionArn', handler: 'pipeline/apply' },
  Notify: { substitution: 'NotifyFunctionArn', handler: 'pipeline/notify' },
  Finish: { substitution: 'FinishFunctionArn', handler: 'pipeline/finish' },
  RecordFailure: { substitution: 'FailFunctionArn', handler: 'pipeline/fail' },
} as const;

export function syncPipelineDefinition(substitutions: Record<string, string>): string {
  return readFileSync(SYNC_PIPELINE_ASL, 'utf8').replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const value = substitutions[name];
    if (value === undefined) throw new Error(`No substitution for \${${name}} in the sync pipeline`);
    return value;
  });
}
