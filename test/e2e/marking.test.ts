import { describe, expect, it } from 'vitest';
import { signInAsCoordinator, useStackAndBrowser } from '../support/localStack';

/** MARK › Marking in Chromium: a mark recorded, kept, changed, and a bad value refused by field. */
const { stack, browser } = useStackAndBrowser();

describe('marking a paper', () => {
  it('records a pupil’s mark, shows it again after a reload, and refuses a bad value with its field', async () => {
    const page = await browser().newPage();
    await signInAsCoordinator(page, stack());
    await page.getByRole('link', { name: 'Marking' }).click();
    await page.getByRole('heading', { name: 'Marking' }).waitFor();
    const classes = await page.getByLabel('Class').locator('option').allTextContents();
    await page.getByLabel('Class').selectOption({ label: classes.find((name) => name.startsWith('2 Herons'))! });
    await page.getByLabel('Paper').selectOption('maths-2-autumn');
    const rows = page.locator('table.marks tbody tr');
    await rows.first().waitFor();
    const pupil = (await rows.first().locator('td').first().textContent())!.trim();

    await rows
      .first()
      .getByLabel(/Raw mark/)
      .fill('31');
    await rows
      .first()
      .getByLabel(/Standardised score/)
      .fill('104');
    await rows.first().getByRole('button', { name: 'Save' }).click();
    await rows.first().getByText('Saved').waitFor();

    await rows
      .nth(1)
      .getByLabel(/Raw mark/)
      .fill('-3');
    await rows
      .nth(1)
      .getByLabel(/Standardised score/)
      .fill('104');
    await rows.nth(1).getByRole('button', { name: 'Save' }).click();
    await rows.nth(1).getByText('At least 0').waitFor();

    // Kept: after a reload the mark is there, and the paper is marked again by Update.
    await page.reload();
    await page.getByLabel('Class').selectOption({ label: classes.find((name) => name.startsWith('2 Herons'))! });
    await page.getByLabel('Paper').selectOption('maths-2-autumn');
    const again = page.locator('table.marks tbody tr', { hasText: pupil });
    await again.getByRole('button', { name: 'Update' }).waitFor();
    expect(await again.getByLabel(/Standardised score/).inputValue()).toBe('104');
    await again.getByLabel(/Standardised score/).fill('107');
    await again.getByRole('button', { name: 'Update' }).click();
    await again.getByText('Saved').waitFor();
    expect(await page.locator('table.marks tbody tr', { hasText: 'Update' }).count()).toBe(1);
    await page.close();
  });
});
