import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useStackAndBrowser } from '../support/localStack';

/** The built web app on the whole local stack, driven in Debian's headless Chromium. */
const { stack, browser } = useStackAndBrowser();

async function signIn(page: Page, role: 'access_coordinator' | 'teacher') {
  const credential = stack().seed.credentials.find((candidate) => candidate.role === role)!;
  await page.goto(stack().url);
  await page.getByLabel('Email').fill(credential.email);
  await page.getByLabel('Password').fill(credential.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('signing in to the Admin Hub', () => {
  it('takes the Access Co-ordinator to School › MIS data sync with all six steps', async () => {
    const page = await browser().newPage();
    await signIn(page, 'access_coordinator');

    await page.getByRole('heading', { name: 'MIS data sync' }).waitFor();
    const steps = await page.getByRole('list', { name: 'Sync steps' }).getByRole('link').allTextContents();
    expect(steps).toEqual(['Authorisation', 'Teachers', 'Year groups', 'Classes', 'Pupils', 'Finish']);
    await expect(page.getByRole('link', { name: 'MIS data sync' }).isVisible()).resolves.toBe(true);

    await page.getByRole('link', { name: 'Teachers', exact: true }).first().click();
    await page.getByRole('link', { name: 'Pupils', exact: true }).first().click();
    await page.close();
  });

  it('shows a teacher no MIS data sync tab, and the API refuses them', async () => {
    const page = await browser().newPage();
    await signIn(page, 'teacher');

    await page.getByRole('heading', { name: 'Teachers' }).waitFor();
    expect(await page.getByRole('link', { name: 'MIS data sync' }).count()).toBe(0);
    const apiStatus = await page.evaluate(async () => (await fetch('/api/sync/overview')).status);
    expect(apiStatus).toBe(403);

    await page.goto(`${stack().url}/school/mis-data-sync/teachers`);
    await page.getByRole('heading', { name: 'Teachers' }).waitFor();
    expect(await page.getByRole('link', { name: 'MIS data sync' }).count()).toBe(0);
    await page.close();
  });

  it('says a wrong password is wrong without saying which part', async () => {
    const page = await browser().newPage();
    await page.goto(stack().url);
    await page.getByLabel('Email').fill(stack().seed.credentials[0]!.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expect(page.getByRole('alert').textContent()).resolves.toBe('The email or password is not right');
    await page.close();
  });
});
