import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  authoriseAndStartSync,
  saveAndSync,
  signInAsCoordinator,
  syncYearGroupsAndClasses,
  useStackAndBrowser,
} from '../support/localStack';

const { stack, browser } = useStackAndBrowser();

/** The filter step: the year groups chosen (none: all pupils), then Proceed and wait for the review. */
async function reviewPupils(page: Page, yearGroups: string[]) {
  await page.goto(`${stack().url}/school/mis-data-sync/pupils`);
  await page.locator('.pupils-selection').waitFor();
  await page.getByLabel('Pupils in the year groups or classes I choose').check();
  for (const name of yearGroups) await page.getByRole('checkbox', { name: new RegExp(`^${name} `) }).check();
  await page.getByRole('button', { name: 'Proceed' }).click();
  const table = page.locator('.pupils-panel table.review');
  await table.waitFor({ timeout: 60_000 });
  return table;
}

/** Users › Pupils, searched (a page of at most 50): each pupil's classes and Synced badge, by name. */
async function usersPupils(page: Page, search: Record<string, string>, yearGroup?: string) {
  await page.goto(`${stack().url}/users/pupils?${new URLSearchParams(search).toString()}`);
  await page.locator('table[aria-busy="false"] tbody tr').first().waitFor();
  if (yearGroup) {
    await page.getByLabel('Year group').selectOption({ label: yearGroup });
    await page.waitForURL(/yearGroup=/);
    await page.locator('table[aria-busy="false"] tbody tr').first().waitFor();
  }
  const headers = await page.locator('table thead th').allTextContents();
  const at = (header: string) => headers.indexOf(header);
  const columns = {
    first: at('First name'),
    last: at('Last name'),
    year: at('Year group'),
    classes: at('Classes'),
    synced: at('Synced'),
  };
  return page.locator('table tbody tr').evaluateAll(
    (rows, column) =>
      rows.map((row) => {
        const cells = [...row.querySelectorAll('td')].map((cell) => cell.textContent?.trim() ?? '');
        return {
          name: `${cells[column.first]} ${cells[column.last]}`,
          yearGroup: cells[column.year],
          classes: cells[column.classes]!.split(', '),
          synced: cells[column.synced],
        };
      }),
    columns,
  );
}

describe('the Pupils panel on the demo school', () => {
  it('filters, reviews twins, matches by hand, confirms, saves, comes back for more and unmatches', async () => {
    const page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
    await signInAsCoordinator(page, stack());
    await authoriseAndStartSync(page);
    await page.locator('table.review').waitFor();
    await syncYearGroupsAndClasses(page);

    // Two year groups: the MIS side is filtered, the Hub side is not.
    const table = await reviewPupils(page, ['Year 1', 'Year 2']);
    expect(await page.locator('.selection').textContent()).toMatch(/Reviewing: Year 1, Year 2 \(\d+ pupils in your MIS outside/);
    for (const status of ['notMatched', 'new', 'mayMatch', 'matched'])
      expect(await table.locator(`tr[data-status="${status}"]`).count(), status).toBeGreaterThan(0);

    // The twin: its reasons open, the conflict in view; unmatched, the Hub pupil is Not matched.
    const twin = table.locator('tr[data-status="mayMatch"]', { hasText: 'twins?' });
    await twin.getByText('Why it may match').click();
    await twin.getByText('Last name same').waitFor();
    const hubTwin = (await twin.locator('td').nth(1).locator('.person').textContent())!.trim();
    await twin.getByRole('button', { name: 'Unmatch' }).click();
    const unmatched = table.locator('tr[data-status="notMatched"]', { hasText: hubTwin });
    await unmatched.waitFor();
    expect(await unmatched.textContent()).toMatch(/You unmatched them from/);
    const misTwin = table.locator('tr[data-status="new"]', { hasText: 'You unmatched them from' });
    expect(await misTwin.textContent()).toMatch(/not imported unless you tick them/);
    expect(await misTwin.getByRole('checkbox').isChecked()).toBe(false);

    // Matched by hand through the dialog's filter: the MIS pupils not yet matched, with birthday, year, class and UPN.
    await unmatched.getByRole('button', { name: 'Match' }).click();
    const dialog = page.getByRole('dialog');
    const options = dialog.getByRole('option');
    const everyone = await options.count();
    await dialog.getByLabel('Filter').fill('white');
    await expect.poll(() => options.count()).toBeLessThan(everyone);
    expect(await options.filter({ hasText: 'Noah White' }).textContent()).toMatch(
      /Born 27 Sept 2019 · Male · Year 2 · .*Swans.* · UPN\s…\d{4}/,
    );
    await options.filter({ hasText: 'Noah White' }).click();
    await dialog.getByRole('button', { name: 'Match' }).click();
    await table.locator('tr[data-status="matched"]', { hasText: 'Matched by you' }).first().waitFor({ state: 'attached' });

    // Confirm all confirms only those without a conflict; a conflicting one is confirmed on its own.
    const confirmAll = page.getByRole('button', { name: /Confirm all May match without a conflict/ });
    await confirmAll.click();
    await expect.poll(() => confirmAll.textContent()).toMatch(/\(0\)/);
    for (let left = await table.locator('tr[data-status="mayMatch"]').count(); left > 0; left--) {
      await table.locator('tr[data-status="mayMatch"]').first().getByRole('button', { name: 'Confirm' }).click();
      // A conflicting one asks again, naming what disagrees.
      expect(await dialog.textContent()).toMatch(/Is .* the same child as .*\?/);
      await dialog.getByRole('button', { name: 'Confirm the match' }).click();
      await expect.poll(() => table.locator('tr[data-status="mayMatch"]').count()).toBe(left - 1);
    }

    // The MIS wins: Hub values it will overwrite are struck out (a misspelt surname, a wrong birthday).
    const culln = table.locator('tr', { has: page.locator('del', { hasText: 'Culln' }) });
    expect(await culln.count()).toBe(1);
    expect(await table.locator('del', { hasText: /^Born / }).count()).toBeGreaterThan(0);
    // A birthday the Hub never had is not struck out: nothing is lost.
    expect(await table.locator('del', { hasText: 'No date of birth' }).count()).toBe(0);

    // Save: the outcome, then who was left as they are.
    await saveAndSync(page, 'Save and sync pupils', /Sync complete: \d+ imported, \d+ matched/);
    const left = page.getByRole('region', { name: 'Left as they are' });
    expect(await left.textContent()).toMatch(/pupils in your MIS outside the year groups and classes you chose/);
    expect(await left.textContent()).toMatch(/In the Admin Hub, Not matched: \d+/);

    // Users › Pupils: the synced pupils, in their classes, with the Synced badge; the Swans pupils are in Swans.
    let users = await usersPupils(page, { q: 'Donal' });
    const donal = users.find((pupil) => pupil.name === 'Donal Cullen')!;
    expect(donal).toMatchObject({ yearGroup: 'Year 2', synced: 'Synced' });
    expect(donal.classes).toContain('2 Herons');
    // A synced pupil's name is the MIS's: the form says why it cannot be changed here.
    await page.getByRole('button', { name: 'Edit Donal Cullen' }).click();
    await page.getByText(/Donal Cullen is synced with your MIS, which manages their name/).waitFor();
    expect(await page.getByLabel('First name').getAttribute('readonly')).not.toBeNull();
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    users = await usersPupils(page, { q: 'Swans' });
    const inSwans = users.filter((pupil) => pupil.classes.includes('Swans'));
    expect(inSwans.length).toBe(14);
    expect(inSwans.every((pupil) => pupil.synced === 'Synced')).toBe(true);

    // Back later for Year 3: Years 1 and 2 stay linked (their ticks locked), Year 3 joins them.
    const again = await reviewPupils(page, ['Year 3']);
    expect(await page.locator('.selection').textContent()).toMatch(/Reviewing: Year 1, Year 2, Year 3/);
    const linked = again.locator('tr[data-status="matched"]', { hasText: 'Donal Cullen' });
    expect(await linked.getByRole('checkbox').isDisabled()).toBe(true);
    const confirmRest = page.getByRole('button', { name: /Confirm all May match without a conflict/ });
    if (await confirmRest.isEnabled()) await confirmRest.click();
    for (let count = await again.locator('tr[data-status="mayMatch"]').count(); count > 0; count--) {
      await again.locator('tr[data-status="mayMatch"]').first().getByRole('button', { name: 'Confirm' }).click();
      await dialog.getByRole('button', { name: 'Confirm the match' }).click();
      await expect.poll(() => again.locator('tr[data-status="mayMatch"]').count()).toBe(count - 1);
    }
    await saveAndSync(page, 'Save and sync pupils', /Sync complete: \d+ imported, \d+ matched/);
    users = await usersPupils(page, { sync: 'synced' }, 'Year 3');
    expect(users.filter((pupil) => pupil.yearGroup === 'Year 3' && pupil.synced === 'Synced').length).toBeGreaterThan(20);

    // Unmatch a synced pupil: the Hub record is as it was (the misspelt surname back), the MIS pupil New.
    const review = await reviewPupils(page, []);
    const synced = review.locator('tr[data-status="matched"]', { hasText: 'Donal Cullen' });
    await synced.getByRole('button', { name: 'Unmatch' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Unmatch' }).click();
    await page.getByText(/Donal Cullen is unmatched, and the Admin Hub record is Donal Culln again/).waitFor();
    await review.locator('tr[data-status="new"]', { hasText: 'Donal Cullen' }).waitFor();
    users = await usersPupils(page, { q: 'Donal' });
    expect(users.find((pupil) => pupil.name === 'Donal Culln')).toMatchObject({ synced: '' });
    await page.close();
  });
});
