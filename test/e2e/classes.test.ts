import { describe, expect, it } from 'vitest';
import { authoriseAndStartSync, signInAsCoordinator, useStackAndBrowser } from '../support/localStack';

const { stack, browser } = useStackAndBrowser();

describe('the Classes panel on the demo school', () => {
  it('matches identical names, shows teachers, sets up the mixed-year Swans, and saves once', async () => {
    const page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
    await signInAsCoordinator(page, stack());
    await authoriseAndStartSync(page);
    await page.locator('table.review').waitFor();

    // Year groups first: every one synced, so that each class has one to go into.
    await page.getByRole('link', { name: 'Year groups' }).click();
    await page.locator('.year-groups-panel table.review').waitFor();
    for (const box of await page.locator('tr[data-status="new"]').getByRole('checkbox').all()) await box.check();
    await page.getByRole('button', { name: 'Save and sync year groups' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Save and sync' }).click();
    await page.getByText(/Sync complete/).waitFor({ timeout: 60_000 });

    await page.getByRole('link', { name: 'Classes' }).click();
    const table = page.locator('.classes-panel table.review');
    await table.waitFor();
    await expect(page.locator('.nursery').textContent()).resolves.toMatch(/Nursery classes are not synced/);

    // Identical names arrive matched; each class shows its teachers.
    const matched = table.locator('tr[data-status="matched"]');
    expect(await matched.count()).toBeGreaterThan(0);
    expect(await matched.first().locator('li', { hasText: 'Same name' }).count()).toBe(1);
    expect(await table.locator('ul.teachers li').count()).toBeGreaterThan(10);

    // The FAQ's case: the Hub's split 1Swans and 2Swans stay Not matched; the MIS's mixed Swans is created once, in Year 1.
    for (const name of ['1Swans', '2Swans'])
      expect(await table.locator('tr[data-status="notMatched"]', { hasText: name }).count()).toBe(1);
    const swans = table.locator('tr[data-status="new"]', { hasText: 'Mixed-year class: Year 1 and Year 2' });
    await swans.getByRole('checkbox').check();
    await expect.poll(() => swans.locator('.field-error').textContent(), { timeout: 10_000 }).toMatch(/Choose a year group/);
    await swans.getByLabel('Year group for Swans').selectOption({ label: 'Year 1' });
    await expect.poll(() => swans.locator('.field-error').count(), { timeout: 10_000 }).toBe(0);
    await swans.getByLabel('Description of Swans').fill('Years 1 and 2 together');
    await swans.getByLabel('Description of Swans').blur();

    await page.getByRole('button', { name: 'Save and sync classes' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toMatch(/Create 1 Admin Hub class\?/);
    await dialog.getByRole('button', { name: 'Save and sync' }).click();
    await page.getByText(/Sync complete: 1 created/).waitFor({ timeout: 60_000 });
    const created = table.locator('tr[data-status="matched"]', { hasText: 'Mixed-year class' });
    await expect.poll(() => created.count(), { timeout: 10_000 }).toBe(1);
    expect(await created.textContent()).toContain('Years 1 and 2 together');

    // Re-running changes nothing.
    await page.getByRole('button', { name: 'Save and sync classes' }).click();
    await page.getByText(/Sync complete: 0 created, 0 matched/).waitFor({ timeout: 60_000 });
    await page.close();
  });
});
