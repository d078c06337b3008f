import { listCentres, listCentresInput } from '../../shared/nightly/centre';
import { dependencies } from '../../shared/runtime/dependencies';
import { pipelineTask } from '../../shared/runtime/observability';

/** Nightly sync state "ListCentres": the next page of connected centres (or the ones asked for). */
export const handler = pipelineTask('listCentres', listCentresInput, (input) => listCentres(dependencies(), input));
