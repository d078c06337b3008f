import { describe, expect, it } from 'vitest';
import { handler as markingHandler } from '../../functions/results/marking';
import { demoCentre } from '../../shared/demo/seedDemo';
import { resultIdOf } from '../../shared/results/papers';
import { dependencies } from '../../shared/runtime/dependencies';
import { apiEvent, call, signInAsDemoCoordinator } from '../support/hub';
import { signInAsCoordinator, useStackAndBrowser } from '../support/localStack';
import { syncAllPupils, syncYearGroupsAndClasses } from '../support/panels';

/**
 * MARK › Results in Assembly: a mark Assembly's grade set has no grade for fails with that reason;
 * once the school has added the grade in Assembly, the co-ordinator sends it again and it is Sent.
 */
const { stack, browser } = useStackAndBrowser();

describe('results in Assembly', () => {
  it('shows a failed result with its reason, and sends it again once the cause is fixed', async () => {
    const page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
    await signInAsCoordinator(page, stack());
    await page.getByRole('button', { name: 'Authorise' }).click();
    await page.getByLabel('upload assessment data').check();
    await page.getByRole('button', { name: 'Authorise app' }).click();
    await page.getByText(/^Connected to .* since/).waitFor();
    const cookie = await signInAsDemoCoordinator();
    await syncYearGroupsAndClasses(cookie, { teachers: true });
    await syncAllPupils(cookie);
    await page.goto(`${stack().url}/school/mis-data-sync/finish`);
    await page.getByLabel('Share all available data').check();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText(/^Saved\. From now on/).waitFor();

    // A score of 147: Assembly's grade set stops at 140.
    const { store } = dependencies();
    const years = new Map((await store.listYearGroups(demoCentre.centreId)).map((group) => [group.yearGroupId, group.yearCode]));
    const pupil = (await store.listPupils(demoCentre.centreId)).find(
      (candidate) => candidate.syncStatus === 'synced' && /^[1-6]$/.test(years.get(candidate.yearGroupId ?? '') ?? ''),
    )!;
    const paperId = `maths-${years.get(pupil.yearGroupId!)}-autumn`;
    const marked = await call(
      markingHandler,
      apiEvent('PUT /api/marking/pupils/{pupilId}/results/{paperId}', {
        cookies: [cookie],
        pathParameters: { pupilId: pupil.pupilId, paperId },
        body: { rawMark: 40, standardisedScore: 147, sat: '2026-11-12', version: 0 },
      }),
    );
    expect(marked.status).toBe(200);
    await expect
      .poll(async () => (await store.getResultDelivery(demoCentre.centreId, resultIdOf(pupil.pupilId, paperId)))?.status, {
        timeout: 15_000,
      })
      .toBe('failed');

    await page.getByRole('link', { name: 'Results in Assembly' }).click();
    await page.getByLabel('Status').selectOption({ label: 'Failed (1)' });
    const row = page.locator('table[aria-busy="false"] tbody tr', { hasText: pupil.lastName });
    await row.getByText('No grade for 147 in Assembly’s grade set').waitFor();
    await row.getByText('Failed').waitFor();

    // The school adds the grade in Assembly; the co-ordinator sends the result again.
    const gradeSet = stack().assembly.served().catalogue.gradeSets.get(101) as { grades: Record<string, unknown>[] };
    gradeSet.grades.push({ object: 'grade', id: 1077, name: '147', value: 147 });
    await row.getByRole('button', { name: /^Send again/ }).click();
    await page.getByRole('status').getByText('1 result is being sent again.', { exact: false }).waitFor();
    await expect.poll(() => stack().assembly.results.length, { timeout: 15_000 }).toBe(1);
    await page.goto(`${stack().url}/mark/results?status=sent`);
    await page.locator('table[aria-busy="false"] tbody tr', { hasText: pupil.lastName }).getByText('Sent').first().waitFor();
    await page.close();
  });
});
