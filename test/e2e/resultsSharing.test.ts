import { describe, expect, it } from 'vitest';
import { demoCentre } from '../../shared/demo/seedDemo';
import { dependencies } from '../../shared/runtime/dependencies';
import { signInAsDemoCoordinator } from '../support/hub';
import { signInAsCoordinator, useStackAndBrowser } from '../support/localStack';
import { syncAllPupils, syncYearGroupsAndClasses } from '../support/panels';

/**
 * From a teacher's mark to Assembly: the co-ordinator authorises with "upload assessment data"
 * and switches sharing on in the Finish panel; a class teacher marks a paper for a synced pupil
 * of their class in MARK › Marking; the stand-in holds the result, sent by the results stream.
 */
const { stack, browser } = useStackAndBrowser();

describe('results shared with Assembly', () => {
  it('sends a teacher’s mark for a pupil of their class to Assembly once the school shares', async () => {
    const coordinator = await browser().newPage();
    await signInAsCoordinator(coordinator, stack());
    await coordinator.getByRole('button', { name: 'Authorise' }).click();
    await coordinator.getByLabel('upload assessment data').check();
    await coordinator.getByRole('button', { name: 'Authorise app' }).click();
    await coordinator.getByText(/^Connected to .* since/).waitFor();

    // The wizard's panels, as a co-ordinator who takes it all (their own tests drive them in Chromium).
    const cookie = await signInAsDemoCoordinator();
    await syncYearGroupsAndClasses(cookie, { teachers: true });
    await syncAllPupils(cookie);

    await coordinator.goto(`${stack().url}/school/mis-data-sync/finish`);
    await coordinator.getByLabel('Share all available data').check();
    await coordinator.getByRole('button', { name: 'Save preferences' }).click();
    await coordinator.getByText(/^Saved\. From now on/).waitFor();
    expect(await coordinator.getByLabel('Share all available data').isChecked()).toBe(true);

    const teacher = await (await browser().newContext()).newPage();
    const credential = stack().seed.credentials.find((candidate) => candidate.role === 'teacher')!;
    await teacher.goto(stack().url);
    await teacher.getByLabel('Email').fill(credential.email);
    await teacher.getByLabel('Password').fill(credential.password);
    await teacher.getByRole('button', { name: 'Sign in' }).click();
    await teacher.getByRole('link', { name: 'Marking' }).click();
    await teacher.getByRole('heading', { name: 'Marking' }).waitFor();
    // The teaching groups this teacher teaches (from the Classes panel), e.g. "Y5 MA (28)".
    const classes = await teacher.getByLabel('Class').locator('option').allTextContents();
    const taught = classes.find((name) => /^Y\d (MA|EN)\b/.test(name))!;
    expect(taught).toBeDefined();
    await teacher.getByLabel('Class').selectOption({ label: taught });
    const [, year, subject] = /^Y(\d) (MA|EN)/.exec(taught)!;
    await teacher.getByLabel('Paper').selectOption(`${subject === 'MA' ? 'maths' : 'reading'}-${year}-autumn`);
    const row = teacher.locator('table.marks tbody tr', { hasText: 'synced' }).first();
    await row.waitFor();
    await row.getByLabel(/Raw mark/).fill('28');
    await row.getByLabel(/Standardised score/).fill('110');
    await row.getByRole('button', { name: 'Save' }).click();
    await row.getByText('Saved').waitFor();

    await expect.poll(() => stack().assembly.results.length, { timeout: 15_000 }).toBe(1);
    expect(stack().assembly.results[0]).toMatchObject({
      assessment_id: 101,
      grade_id: 1040,
      result_date: expect.stringMatching(/^\d{4}-/),
    });
    const pupils = await dependencies().store.listPupils(demoCentre.centreId);
    expect(pupils.find((pupil) => pupil.misId === String(stack().assembly.results[0]!.student_id))?.syncStatus).toBe('synced');
    // Looked at again, the mark says where it went.
    await teacher.reload();
    await teacher.getByLabel('Class').selectOption({ label: taught });
    await teacher.getByLabel('Paper').selectOption(`${subject === 'MA' ? 'maths' : 'reading'}-${year}-autumn`);
    await teacher.locator('table.marks tbody tr', { hasText: 'Sent to Assembly' }).waitFor();

    // Switched off: the panel says so, and the next mark stays in MARK.
    await coordinator.getByLabel('Share all available data').uncheck();
    await coordinator.getByRole('button', { name: 'Save preferences' }).click();
    await coordinator.getByText('Saved. No more results will be sent to Assembly.').waitFor();
    await coordinator.getByText(/Marks are not sent to Assembly while sharing is off/).waitFor();
    const another = teacher
      .locator('table.marks tbody tr', { hasText: 'synced' })
      .filter({ hasNotText: 'Sent to Assembly' })
      .first();
    await another.getByLabel(/Raw mark/).fill('25');
    await another.getByLabel(/Standardised score/).fill('101');
    await another.getByRole('button', { name: 'Save' }).click();
    await another.getByText('Saved').waitFor();
    await stack().results.settled();
    expect(stack().assembly.results).toHaveLength(1);
    await coordinator.close();
    await teacher.close();
  });
});
