import { closeCentre, closeCentreInput } from '../../shared/nightly/centre';
import { dependencies } from '../../shared/runtime/dependencies';
import { pipelineTask } from '../../shared/runtime/observability';
import { runKinds } from '../../shared/wizard/steps';

/** Nightly sync states "CloseCentre" and "CloseAfterFailure": how the night ended, and the digest. */
export const handler = pipelineTask('closeCentre', closeCentreInput, async (input) => {
  const record = await closeCentre(dependencies(), runKinds, input);
  return { status: record?.status ?? null };
});
