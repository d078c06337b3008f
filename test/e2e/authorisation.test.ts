import { describe, expect, it } from 'vitest';
import { signInAsCoordinator, useStackAndBrowser } from '../support/localStack';

/** The co-ordinator connects the school through the Assembly stand-in's consent page, in Chromium. */
const { stack, browser } = useStackAndBrowser();

describe('authorising Assembly', () => {
  it('connects through the consent page with the optional scope, then deauthorises', async () => {
    const page = await browser().newPage();
    await signInAsCoordinator(page, stack());
    await expect(page.locator('.connection-status').textContent()).resolves.toBe('Not connected to Assembly.');
    await expect(page.getByRole('cell', { name: 'Pupil premium' }).count()).resolves.toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Authorise' }).click();
    await page.getByRole('heading', { name: 'Data Access Request' }).waitFor();
    expect(page.url()).toContain(stack().assembly.url);
    await page.getByLabel('upload assessment data').check();
    await page.getByRole('button', { name: 'Authorise app' }).click();

    await page.getByText(`Connected to ${stack().assembly.schoolName} since`).waitFor();
    await expect(page.getByText('Upload assessment data: granted').count()).resolves.toBe(1);

    // Data sharing preferences open the Finish panel: sharing switched on, and who did it, when.
    await page.getByRole('button', { name: 'Data sharing preferences' }).click();
    await page.getByRole('heading', { name: 'Data sharing preferences' }).waitFor();
    expect(await page.getByLabel('Share historical data').isDisabled()).toBe(true);
    await page.getByLabel('Share all available data').check();
    await page.getByLabel('Share historical data').check();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText(/^Saved\. From now on/).waitFor();
    await expect(page.getByText(/^Switched on by .+ on \d+ \w+ \d{4}/).count()).resolves.toBe(1);
    await expect(page.getByText(/Results already sent stay in Assembly/).count()).resolves.toBe(1);
    await page.getByRole('link', { name: 'Authorisation' }).click();

    await page.getByRole('button', { name: 'Deauthorise' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, deauthorise' }).click();
    await page.getByText(/^Deauthorised on .*Syncing is off\.$/).waitFor();
    await expect(page.getByRole('status').textContent()).resolves.toContain('select ‘Do not authorise’');
    // Sharing stays chosen, but nothing is sent while the school is not connected, and the panel says so.
    await page.getByRole('link', { name: 'Finish' }).click();
    await page.getByText(/Sharing is on, but no results are being sent/).waitFor();
    await page.close();
  });

  it('refuses a forged state with a clear message and stores nothing', async () => {
    const page = await browser().newPage();
    await signInAsCoordinator(page, stack());
    const before = await page.locator('.connection-status').textContent();

    await page.goto(`${stack().url}/school/mis-data-sync/authorisation/callback?code=stolen&state=forged`);

    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/not valid, has expired or has already been used/);
    await page.getByRole('button', { name: 'Back to Authorisation' }).click();
    await page.locator('.connection-status').waitFor();
    await expect(page.locator('.connection-status').textContent()).resolves.toBe(before);
    await page.close();
  });
});
