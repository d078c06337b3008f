import { dependencies } from '../../shared/runtime/dependencies';
import { pipelineTask } from '../../shared/runtime/observability';
import { eraseSweepInput, sweepErasures } from '../../shared/users/eraseSweep';

/** The daily erasure sweep (EventBridge Scheduler): pupils deleted six months ago are erased for good. */
export const handler = pipelineTask('eraseSweep', eraseSweepInput, () => sweepErasures(dependencies()));
