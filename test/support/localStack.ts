import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { defaultLocalOptions, startLocalStack, type LocalStack, type LocalStackOptions } from '../../infra/local/localStack';
import { freePort } from '../../infra/local/ports';

/** The whole local stack on free ports with data in memory, for end-to-end tests and benchmarks. */
export async function startTestStack(options: Pick<LocalStackOptions, 'ownSchool'> = {}): Promise<LocalStack> {
  if (!existsSync(defaultLocalOptions.webDir))
    throw new Error('web/dist is missing: run `npm run build:web` first (`npm test` does).');
  return startLocalStack({
    ...defaultLocalOptions,
    port: await freePort(),
    dynamoPort: await freePort(),
    sesPort: await freePort(),
    assemblyPort: await freePort(),
    stepFunctionsPort: await freePort(),
    sqsPort: await freePort(),
    dataDir: null,
    fresh: true,
    ...options,
  });
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Registers hooks that start the stack and Chromium before a test file and stop them after it. */
export function useStackAndBrowser(options: Pick<LocalStackOptions, 'ownSchool'> = {}): {
  stack(): LocalStack;
  browser(): Browser;
} {
  let stack: LocalStack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    stack = await startTestStack(options);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  return { stack: () => stack!, browser: () => browser! };
}

/** Signs in as the demo centre's Access Co-ordinator, who lands on the Authorisation step. */
export async function signInAsCoordinator(page: Page, stack: LocalStack): Promise<void> {
  const credential = stack.seed.credentials.find((candidate) => candidate.role === 'access_coordinator')!;
  await page.goto(stack.url);
  await page.getByLabel('Email').fill(credential.email);
  await page.getByLabel('Password').fill(credential.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.connection-status').waitFor();
}

/** Authorises on the stand-in's consent page and starts the wizard: the Teachers panel opens. */
export async function authoriseAndStartSync(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Authorise' }).click();
  await page.getByRole('button', { name: 'Authorise app' }).click();
  await page.getByRole('button', { name: 'Start sync' }).click();
}

/** Saves a panel through its Save and sync button (confirming what it creates) and waits for the outcome. */
export async function saveAndSync(page: Page, label: string, outcome: RegExp = /Sync complete/): Promise<void> {
  await page.getByRole('button', { name: label }).click();
  const dialog = page.getByRole('dialog');
  await dialog
    .or(page.getByText(/Backing up|Sync complete|did not complete/))
    .first()
    .waitFor();
  if (await dialog.isVisible()) await dialog.getByRole('button', { name: 'Save and sync' }).click();
  await page.getByText(outcome).waitFor({ timeout: 120_000 });
}

/**
 * Every demo year group and class synced, as the Pupils panel needs: all new year groups ticked,
 * all new classes ticked (each in its pupils' year; the mixed-year Swans in Year 1).
 */
export async function syncYearGroupsAndClasses(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Year groups' }).click();
  await page.locator('.year-groups-panel table.review').waitFor();
  for (const box of await page.locator('tr[data-status="new"]').getByRole('checkbox').all()) await box.check();
  await saveAndSync(page, 'Save and sync year groups');

  await page.getByRole('link', { name: 'Classes' }).click();
  await page.locator('.classes-panel table.review').waitFor();
  await page.getByRole('button', { name: /^Tick all \d+ new classes/ }).click();
  const swans = page.locator('tr[data-status="new"]', { hasText: 'Mixed-year class' });
  await swans.getByLabel('Year group for Swans').selectOption({ label: 'Year 1' });
  await saveAndSync(page, 'Save and sync classes');
}
