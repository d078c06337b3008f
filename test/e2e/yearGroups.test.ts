import { describe, expect, it } from 'vitest';
import { authoriseAndStartSync, signInAsCoordinator, useStackAndBrowser } from '../support/localStack';

const { stack, browser } = useStackAndBrowser();

describe('the Year groups panel on the demo school', () => {
  it('shows cohorts that follow the school-year choice, leaves Nursery out, and saves add-only, once', async () => {
    const page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
    await signInAsCoordinator(page, stack());
    await authoriseAndStartSync(page);
    await page.locator('table.review').waitFor();
    await page.getByRole('link', { name: 'Year groups' }).click();
    const table = page.locator('.year-groups-panel table.review');
    await table.waitFor();

    // Nursery is absent, and the panel says why in one line.
    await expect(page.locator('.nursery').textContent()).resolves.toMatch(/Nursery is not synced/);
    expect(await table.getByText('Nursery', { exact: true }).count()).toBe(0);

    // The cohort column follows the dropdown.
    const year3 = table.locator('tr', { hasText: 'Same year code (Year 3)' });
    const cohort = async () => Number(await year3.locator('.cohort').textContent());
    const dropdown = page.getByLabel('Pupils in your MIS started their school year');
    const chosen = await dropdown.inputValue();
    const before = await cohort();
    await dropdown.selectOption(chosen === 'this' ? 'last' : 'this');
    await expect.poll(cohort, { timeout: 10_000 }).toBe(before + (chosen === 'this' ? -1 : 1));
    await dropdown.selectOption(chosen);
    await expect.poll(cohort, { timeout: 10_000 }).toBe(before);

    // A year group already in the Hub is ticked and cannot be unticked; its Hub name is struck out.
    const existing = year3.getByRole('checkbox');
    expect(await existing.isChecked()).toBe(true);
    expect(await existing.isDisabled()).toBe(true);
    expect(await year3.locator('del').textContent()).toBe('Yr 3');

    // Tick the new ones and save: created, renamed, and saving again changes nothing.
    for (const box of await table.locator('tr[data-status="new"]').getByRole('checkbox').all()) await box.check();
    await page.getByRole('button', { name: 'Save and sync year groups' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toMatch(/Create 2 Admin Hub year groups\?/);
    await dialog.getByRole('button', { name: 'Save and sync' }).click();
    await page.getByText(/2 created, 5 matched or renamed from your MIS/).waitFor({ timeout: 60_000 });
    await expect.poll(() => table.locator('tr[data-status="new"]').count(), { timeout: 10_000 }).toBe(0);
    expect(await table.locator('del').count()).toBe(0);

    await page.getByRole('button', { name: 'Save and sync year groups' }).click();
    await page.getByText(/0 created, 0 matched or renamed from your MIS/).waitFor({ timeout: 60_000 });
    expect(await table.locator('tr[data-status="matched"]').count()).toBe(7);
    await page.close();
  });
});
