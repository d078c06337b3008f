import { planCentre, planCentreInput } from '../../shared/nightly/centre';
import { dependencies } from '../../shared/runtime/dependencies';
import { pipelineTask } from '../../shared/runtime/observability';

/** Nightly sync state "PlanCentre": what changed in one school's MIS, frozen into a nightly run. */
export const handler = pipelineTask('planCentre', planCentreInput, (input) => planCentre(dependencies(), input));
