import { describe, expect, it } from 'vitest';
import { signInAsCoordinator, useStackAndBrowser } from '../support/localStack';

const { stack, browser } = useStackAndBrowser();

describe('Users › Pupils', () => {
  it('searches, deletes two pupils after a confirmation naming them, and restores one from Recently deleted', async () => {
    const page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
    await signInAsCoordinator(page, stack());
    await page.goto(`${stack().url}/users/pupils`);
    await page
      .getByRole('status')
      .getByText(/Showing 1–50 of \d+ pupils/)
      .waitFor();
    const total = Number(/of (\d+) pupils/.exec((await page.getByRole('status').first().textContent())!)![1]);

    // Two Hub-only pupils found by search.
    await page.getByLabel('Search pupils').fill('Aldby');
    await page
      .getByRole('status')
      .getByText(/Showing 1–\d of \d pupils \(of/)
      .waitFor();
    const names = (await page
      .locator('table tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => `${row.querySelectorAll('td')[1]!.textContent} ${row.querySelectorAll('td')[2]!.textContent}`),
      )) as string[];
    expect(names.length).toBeGreaterThanOrEqual(2);
    const [first, second] = names as [string, string];
    await page.getByLabel(`Choose ${first}`).check();
    await page.getByLabel(`Choose ${second}`).check();
    await page.getByRole('button', { name: 'Delete 2 chosen' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete 2 pupils?' });
    await dialog.getByText(`${first}, ${second} will disappear`).waitFor();
    await dialog.getByRole('button', { name: 'Delete 2 pupils' }).click();
    await page
      .getByRole('status')
      .getByText('2 pupils deleted. You can restore them under Recently deleted for 6 months.')
      .waitFor();
    await expect.poll(() => page.locator('table tbody tr', { hasText: first }).count()).toBe(0);

    await page.getByRole('button', { name: 'Recently deleted' }).click();
    const restoreRow = page.getByRole('row', { name: new RegExp(first.replace(' ', '.*')) });
    await restoreRow.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('status').getByText(`${first} is restored, with their results.`).waitFor();
    await page.getByLabel('Search pupils').fill('');
    await page
      .getByRole('status')
      .getByText(`Showing 1–50 of ${total - 1} pupils`)
      .waitFor();
    await page.close();
  });
});
