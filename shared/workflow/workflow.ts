import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { tracer } from '../runtime/observability';

/** The port for starting the sync pipeline. One adapter: Step Functions (locally, aws-local-stepfunctions behind AWS_ENDPOINT_URL_SFN). */
export interface Workflow {
  /** Starts one execution of the sync pipeline per run; starting the same run again changes nothing. */
  startSync(input: { centreId: string; runId: string }): Promise<void>;
  /** Starts one execution of the load jobs machine per load; again, idempotent. */
  startLoad(input: { centreId: string; loadId: string }): Promise<void>;
}

export class StepFunctionsWorkflow implements Workflow {
  constructor(
    private readonly stateMachineArn: string,
    private readonly client = tracer.captureAWSv3Client(new SFNClient({})),
    private readonly loadStateMachineArn = '',
  ) {}

  async startSync(input: { centreId: string; runId: string }): Promise<void> {
    if (!this.stateMachineArn) throw new Error('Missing configuration: SYNC_STATE_MACHINE_ARN');
    await this.start(this.stateMachineArn, input.runId, input);
  }

  async startLoad(input: { centreId: string; loadId: string }): Promise<void> {
    if (!this.loadStateMachineArn) throw new Error('Missing configuration: LOAD_STATE_MACHINE_ARN');
    await this.start(this.loadStateMachineArn, input.loadId, input);
  }

  private async start(stateMachineArn: string, name: string, input: object): Promise<void> {
    try {
      await this.client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }
}
