import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

/** The port for starting the sync pipeline. One adapter: Step Functions (locally, aws-local-stepfunctions behind AWS_ENDPOINT_URL_SFN). */
export interface Workflow {
  /** Starts one execution per run; starting the same run again changes nothing. */
  startSync(input: { centreId: string; runId: string }): Promise<void>;
}

export class StepFunctionsWorkflow implements Workflow {
  constructor(
    private readonly stateMachineArn: string,
    private readonly client = new SFNClient({}),
  ) {}

  async startSync(input: { centreId: string; runId: string }): Promise<void> {
    try {
      await this.client.send(
        new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: input.runId, input: JSON.stringify(input) }),
      );
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }
}
