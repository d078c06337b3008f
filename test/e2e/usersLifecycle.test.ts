import { describe, expect, it } from 'vitest';
import { runNight } from '../../infra/local/nightly';
import { LOCAL_NIGHTLY_STATE_MACHINE_ARN } from '../../infra/local/stepFunctions';
import { schoolFileSchema } from '../../shared/files/schoolFile';
import { dependencies } from '../../shared/runtime/dependencies';
import { demoCentre } from '../../shared/demo/seedDemo';
import { signInAsDemoCoordinator } from '../support/hub';
import { signInAsCoordinator, useStackAndBrowser } from '../support/localStack';
import { syncAllPupils, syncYearGroupsAndClasses } from '../support/panels';

/**
 * Users after the wizard and a night: a pupil who left the MIS is Out of sync (left the MIS) and
 * can be deleted and restored; a synced teacher's email is changed and they sign in with it;
 * after deauthorising, every synced user is Out of sync with that reason, and a teacher can then
 * be deleted and restored.
 */
const { stack, browser } = useStackAndBrowser();

describe('Users over a school year', () => {
  it('deletes and restores a leaver, moves a teacher’s sign-in email, and shows deauthorised users Out of sync', async () => {
    const page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
    await signInAsCoordinator(page, stack());
    await page.getByRole('button', { name: 'Authorise' }).click();
    await page.getByRole('button', { name: 'Authorise app' }).click();
    await page.getByText(/^Connected to .* since/).waitFor();
    const cookie = await signInAsDemoCoordinator();
    await syncYearGroupsAndClasses(cookie, { teachers: true });
    await syncAllPupils(cookie);

    // A pupil leaves the MIS overnight.
    const { store } = dependencies();
    const synced = (await store.listPupils(demoCentre.centreId)).filter((pupil) => pupil.syncStatus === 'synced');
    const leaver = synced.find((pupil) => pupil.classIds.length > 0)!;
    const file = schoolFileSchema.parse(stack().assembly.served().toFile());
    const leaving = file.students.find((student) => String(student.id) === leaver.misId)!;
    const without = <T extends { student_ids?: number[] | null }>(group: T) => ({
      ...group,
      student_ids: (group.student_ids ?? []).filter((id) => id !== leaving.id),
    });
    stack().assembly.replaceSchool(
      schoolFileSchema.parse({
        ...file,
        students: file.students.filter((student) => student.id !== leaving.id),
        students_left: [...file.students_left, { ...leaving, end_date: '2026-12-02' }],
        year_groups: file.year_groups.map(without),
        registration_groups: file.registration_groups.map(without),
        teaching_groups: file.teaching_groups.map(without),
      }),
    );
    const night = await runNight({
      endpoint: process.env.AWS_ENDPOINT_URL_SFN!,
      stateMachineArn: LOCAL_NIGHTLY_STATE_MACHINE_ARN,
    });
    expect(night.status).toBe('SUCCEEDED');

    // Users › Pupils, Out of sync: the leaver, with why.
    const name = `${leaver.firstName} ${leaver.lastName}`;
    await page.goto(`${stack().url}/users/pupils`);
    await page.getByLabel('Synced').selectOption({ label: 'Out of sync' });
    const row = page
      .locator('table[aria-busy="false"] tbody tr', { hasText: leaver.lastName })
      .filter({ hasText: leaver.firstName });
    await row.getByText('Left your MIS').waitFor();
    await row.getByLabel(`Choose ${name}`).check();
    await page.getByRole('button', { name: 'Delete 1 chosen' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete 1 pupil' }).click();
    await page.getByRole('status').getByText('1 pupil deleted.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Recently deleted' }).click();
    await page
      .getByRole('row', { name: new RegExp(leaver.lastName) })
      .getByRole('button', { name: 'Restore' })
      .click();
    await page.getByRole('status').getByText(`${name} is restored, with their results.`).waitFor();

    // A synced teacher with an account: their email changes, and so does the one they sign in with.
    const credential = stack().seed.credentials.find((candidate) => candidate.role === 'teacher')!;
    await page.goto(`${stack().url}/users/teachers`);
    await page.getByLabel('Search teachers').fill(credential.email);
    const teacher = page.locator('table[aria-busy="false"] tbody tr', { hasText: credential.email });
    await teacher.getByText('Synced').waitFor();
    await teacher.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Email').fill('new.address@stmarys.sch.uk');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('tbody tr', { hasText: 'new.address@stmarys.sch.uk' }).waitFor();

    const teacherPage = await browser().newPage();
    await teacherPage.goto(stack().url);
    await teacherPage.getByLabel('Email').fill('new.address@stmarys.sch.uk');
    await teacherPage.getByLabel('Password').fill(credential.password);
    await teacherPage.getByRole('button', { name: 'Sign in' }).click();
    await teacherPage.getByRole('button', { name: 'Sign out' }).waitFor();
    await teacherPage.close();

    // Deauthorise: every synced user becomes Out of sync, saying why.
    await page.goto(`${stack().url}/school/mis-data-sync/authorisation`);
    await page.getByRole('button', { name: 'Deauthorise' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Deauthorise' }).click();
    await page.getByText(/All syncing of users has stopped/).waitFor();
    await page.goto(`${stack().url}/users/pupils?sync=synced`);
    await page
      .getByRole('status')
      .getByText(/No pupils match/)
      .waitFor();
    await page.goto(`${stack().url}/users/pupils?sync=out_of_sync`);
    await page
      .locator('table[aria-busy="false"] tbody tr')
      .first()
      .getByText('The connection to Assembly was deauthorised')
      .waitFor();
    await page.goto(`${stack().url}/users/teachers?sync=out_of_sync`);
    await page
      .locator('table[aria-busy="false"] tbody tr')
      .first()
      .getByText('The connection to Assembly was deauthorised')
      .waitFor();

    // Out of sync now, the teacher can be deleted (signed out, recoverable) and restored with their account.
    await page.getByLabel('Search teachers').fill('new.address@stmarys.sch.uk');
    const outOfSync = page.locator('table[aria-busy="false"] tbody tr', { hasText: 'new.address@stmarys.sch.uk' });
    await outOfSync.waitFor();
    const headers = await page.locator('thead th').allTextContents();
    const cell = async (header: string) => (await outOfSync.locator('td').nth(headers.indexOf(header)).innerText()).trim();
    const teacherName = `${await cell('First name')} ${await cell('Last name')}`;
    await outOfSync.getByLabel(`Choose ${teacherName}`).check();
    await page.getByRole('button', { name: 'Delete 1 chosen' }).click();
    await page.getByRole('dialog', { name: 'Delete 1 teacher?' }).getByText(`${teacherName} will disappear`).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete 1 teacher' }).click();
    await page.getByRole('status').getByText('1 teacher deleted.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Recently deleted' }).click();
    await page
      .getByRole('row', { name: /new\.address@stmarys\.sch\.uk/ })
      .getByRole('button', { name: 'Restore' })
      .click();
    await page.getByRole('status').getByText(`${teacherName} is restored, with their account as it was.`).waitFor();
    await page.close();
  });
});
