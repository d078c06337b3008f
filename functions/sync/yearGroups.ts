import { httpHandler } from '../../shared/http/httpHandler';
import { panelEndpoints } from '../../shared/wizard/review/endpoints';
import { yearGroups } from '../../shared/wizard/yearGroups/useCases';

/** School › MIS data sync › Year groups (Access Co-ordinator only, as declared in the routes). */
export const handler = httpHandler(panelEndpoints('year-groups', yearGroups));
