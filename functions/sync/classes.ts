import { httpHandler } from '../../shared/http/httpHandler';
import { panelEndpoints } from '../../shared/wizard/review/endpoints';
import { classes } from '../../shared/wizard/classes/useCases';

/** School › MIS data sync › Classes (Access Co-ordinator only, as declared in the routes). */
export const handler = httpHandler(panelEndpoints('classes', classes));
