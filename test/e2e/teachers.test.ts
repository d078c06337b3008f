import { describe, expect, it } from 'vitest';
import { useStackAndBrowser } from '../support/localStack';

/** The first full slice, in Chromium: review teachers, match, unmatch, emails, Save and sync, welcome email, set password, sign in. */
const { stack, browser } = useStackAndBrowser();

describe('syncing teachers', () => {
  it('reviews, matches, unmatches, emails, saves and syncs; the new teacher sets a password and signs in', async () => {
    const page = await browser().newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    const coordinator = stack().seed.credentials.find((credential) => credential.role === 'access_coordinator')!;
    await page.goto(stack().url);
    await page.getByLabel('Email').fill(coordinator.email);
    await page.getByLabel('Password').fill(coordinator.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Authorise' }).click();
    await page.getByRole('button', { name: 'Authorise app' }).click();
    await page.getByRole('button', { name: 'Start sync' }).click();

    // Review: all four statuses, in review order.
    const table = page.locator('table.teachers');
    await table.waitFor();
    const statuses = await table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status')));
    expect(new Set(statuses)).toEqual(new Set(['notMatched', 'new', 'mayMatch', 'matched']));

    // Match a Not matched Hub teacher by hand, through the filter dialog.
    const newNames = await table.locator('tr[data-status="new"] td:nth-child(3)').allTextContents();
    const chosen = newNames[newNames.length - 1]!.trim();
    await table.locator('tr[data-status="notMatched"]').first().getByRole('button', { name: 'Match' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Filter').fill(chosen.split(' ').at(-1)!);
    await dialog.getByRole('option', { name: chosen }).click();
    await dialog.getByRole('button', { name: 'Match' }).click();
    await table.locator('tr[data-status="matched"]', { hasText: 'Matched by you' }).waitFor();

    // Unmatch the wrong May match.
    const mayMatches = await table.locator('tr[data-status="mayMatch"]').count();
    await table.locator('tr[data-status="mayMatch"]').first().getByRole('button', { name: 'Unmatch' }).click();
    await expect.poll(() => table.locator('tr[data-status="mayMatch"]').count()).toBe(mayMatches - 1);
    if (mayMatches > 1) await page.getByRole('button', { name: 'Confirm all May match' }).click();

    // Tick one new teacher and batch-create the school's addresses.
    const newRow = table.locator('tr[data-status="new"]').first();
    const importedName = (await newRow.locator('td:nth-child(3)').textContent())!.trim();
    await newRow.getByRole('checkbox').click();
    await expect.poll(() => page.locator('.counts').textContent()).toContain('1 to import');
    await page.getByRole('button', { name: 'Batch create email addresses' }).click();
    await page.getByRole('dialog').getByLabel('Domain').fill('stmarys.sch.uk');
    await page.getByRole('dialog').getByRole('button', { name: 'Create addresses' }).click();
    await expect.poll(() => page.locator('.problems').count()).toBe(0);

    await page.getByRole('button', { name: 'Save and sync teachers' }).click();
    await page.getByText(/Sync complete: 1 imported/).waitFor({ timeout: 60_000 });

    // The welcome email is in the local SES inbox; its link sets a password.
    const inbox = (await (await fetch(`${stack().sesInboxUrl}store`)).json()) as {
      emails: { destination: { to: string[] }; body: { text: string } }[];
    };
    expect(inbox.emails).toHaveLength(1);
    const welcome = inbox.emails[0]!;
    const email = welcome.destination.to[0]!;
    expect(email).toMatch(/@stmarys\.sch\.uk$/);
    expect(welcome.body.text).toContain(importedName.split(' ').find((part) => !/^(Mr|Mrs|Ms|Miss|Dr)$/.test(part))!);
    const link = /(http\S+set-password\?token=\S+)/.exec(welcome.body.text)![1]!;

    const teacherPage = await browser().newPage();
    await teacherPage.goto(link);
    await teacherPage.getByText(`For ${email}`).waitFor();
    await teacherPage.getByLabel('New password').fill('a long new password');
    await teacherPage.getByLabel('Type it again').fill('a long new password');
    await teacherPage.getByRole('button', { name: 'Set password' }).click();
    await teacherPage.getByRole('heading', { name: 'Your password is set' }).waitFor();
    await teacherPage.getByRole('button', { name: 'Sign in' }).click();
    await teacherPage.getByLabel('Email').fill(email);
    await teacherPage.getByLabel('Password').fill('a long new password');
    await teacherPage.getByRole('button', { name: 'Sign in' }).click();
    await teacherPage.getByRole('heading', { name: 'Teachers' }).waitFor();
    expect(await teacherPage.getByRole('link', { name: 'MIS data sync' }).count()).toBe(0);

    // A used link is refused.
    await teacherPage.goto(link);
    await expect(teacherPage.getByRole('alert').textContent()).resolves.toMatch(/already been used/);
  });
});
