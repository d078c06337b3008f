import { describe, expect, it } from 'vitest';
import { runNight } from '../../infra/local/nightly';
import { LOCAL_NIGHTLY_STATE_MACHINE_ARN } from '../../infra/local/stepFunctions';
import { schoolFileSchema } from '../../shared/files/schoolFile';
import { signInAsDemoCoordinator } from '../support/hub';
import { signInAsCoordinator, useStackAndBrowser } from '../support/localStack';
import { syncAllPupils, syncYearGroupsAndClasses } from '../support/panels';

/**
 * The co-ordinator's view of the nightly sync: after the panels, a new teacher joins the MIS
 * overnight; the morning after, the wizard says what the night did and what waits, with a link
 * to the panel that deals with it.
 */
const { stack, browser } = useStackAndBrowser();

describe('the nightly sync on the wizard', () => {
  it('shows last night’s outcome and the new teacher waiting, with the way to the Teachers panel', async () => {
    const page = await browser().newPage();
    await signInAsCoordinator(page, stack());
    await page.getByRole('button', { name: 'Authorise' }).click();
    await page.getByRole('button', { name: 'Authorise app' }).click();
    await page.getByText(/^Connected to .* since/).waitFor();
    const cookie = await signInAsDemoCoordinator();
    await syncYearGroupsAndClasses(cookie, { teachers: true });
    await syncAllPupils(cookie);

    const file = schoolFileSchema.parse(stack().assembly.served().toFile());
    const newId = Math.max(...file.staff_members.map((member) => member.id)) + 1;
    const first = await runNight({
      endpoint: process.env.AWS_ENDPOINT_URL_SFN!,
      stateMachineArn: LOCAL_NIGHTLY_STATE_MACHINE_ARN,
    });
    expect(first.status).toBe('SUCCEEDED');
    stack().assembly.replaceSchool(
      schoolFileSchema.parse({
        ...file,
        staff_members: [
          ...file.staff_members,
          { ...file.staff_members[0]!, id: newId, first_name: 'Hester', last_name: 'Lovibond', is_teaching_staff: true },
        ],
      }),
    );
    const night = await runNight({
      endpoint: process.env.AWS_ENDPOINT_URL_SFN!,
      stateMachineArn: LOCAL_NIGHTLY_STATE_MACHINE_ARN,
    });
    expect(night.status).toBe('SUCCEEDED');

    await page.goto(`${stack().url}/school/mis-data-sync/authorisation`);
    const nightly = page.getByRole('region', { name: 'Nightly sync' });
    await nightly.getByText(/The last nightly sync .* brought the Admin Hub up to date: nothing needed changing\./).waitFor();
    await nightly.getByText(/1 new teacher in your MIS: .*Hester Lovibond/).waitFor();
    await nightly.getByRole('link', { name: 'Import them in the Teachers panel' }).click();
    await page.waitForURL(/\/school\/mis-data-sync\/teachers$/);
  });
});
