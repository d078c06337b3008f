import { describe, expect, it } from 'vitest';
import { demoHubHistory } from '../../shared/demo/seedDemo';
import { captureLogs, personalValues } from '../support/logCapture';
import { authoriseAndStartSync, signInAsCoordinator, useStackAndBrowser } from '../support/localStack';

/** The Teachers slice in Chromium at 1,024 px: review, match, unmatch, emails, Save and sync, welcome email, set password. */
const { stack, browser } = useStackAndBrowser();
const logs = captureLogs();

describe('syncing teachers', () => {
  it('reviews, matches, unmatches, emails, saves and syncs; the new teacher sets a password and signs in', async () => {
    const page = await browser().newPage({ viewport: { width: 1024, height: 800 } });
    page.on('dialog', () => {
      throw new Error('the panel must use its own dialogs, not the browser’s');
    });
    await signInAsCoordinator(page, stack());
    await authoriseAndStartSync(page);

    // Review: all four statuses in review order, each unpaired row with its reason, staff with their role.
    const table = page.locator('table.review');
    await table.waitFor();
    const statuses = await table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status')));
    expect(new Set(statuses)).toEqual(new Set(['notMatched', 'new', 'mayMatch', 'matched']));
    await table
      .locator('tr[data-status="notMatched"]', { hasText: 'Nobody in your MIS has the same or a similar name' })
      .first()
      .waitFor();
    expect(await page.locator('body').evaluate((body) => body.scrollWidth)).toBeLessThanOrEqual(1024);

    // Teaching staff are shown first; the role filter; a tick-all button that says what it ticks.
    expect(await page.getByLabel('New staff to show').inputValue()).toBe('teaching');
    expect(await table.locator('tr[data-status="new"]', { hasText: 'Non-teaching staff' }).count()).toBe(0);
    const teachingNew = await table.locator('tr[data-status="new"]').count();
    await page.getByRole('button', { name: `Tick all ${teachingNew} new teaching staff` }).waitFor();
    await page.getByLabel('New staff to show').selectOption('all');
    await table.locator('tr[data-status="new"]', { hasText: 'Non-teaching staff' }).first().waitFor();

    // Batch create says why it cannot be used yet.
    expect(await page.getByRole('button', { name: 'Batch create email addresses' }).isDisabled()).toBe(true);
    await page.getByText('Tick the new teachers to import first.').waitFor();

    // Match a Not matched Hub teacher by hand to someone with a very different name: asked again, undone.
    const newNames = await table.locator('tr[data-status="new"] td:nth-child(3) .person').allTextContents();
    const chosen = newNames[newNames.length - 1]!.trim();
    const hubRow = table.locator('tr[data-status="notMatched"]').first();
    const hubName = (await hubRow.locator('td:nth-child(2)').textContent())!.trim();
    const hubEmail = (await hubRow.locator('td:nth-child(4)').textContent())!.trim();
    const matchByHand = async () => {
      await table.locator('tr[data-status="notMatched"]', { hasText: hubName }).getByRole('button', { name: 'Match' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Filter').fill(chosen.split(' ').at(-1)!);
      await dialog.getByRole('option', { name: chosen }).click();
      await dialog.getByRole('button', { name: 'Match' }).click();
      await page.getByRole('dialog', { name: 'Are these the same person?' }).waitFor();
    };
    await matchByHand();
    await page.getByRole('button', { name: 'Undo the match' }).click();
    await table.locator('tr[data-status="notMatched"]', { hasText: hubName }).waitFor();
    await matchByHand();
    await page.getByRole('button', { name: 'Keep the match' }).click();
    await table.locator('tr[data-status="matched"]', { hasText: 'Matched by you' }).waitFor();

    // Unmatch the wrong May match.
    const mayMatches = await table.locator('tr[data-status="mayMatch"]').count();
    await table.locator('tr[data-status="mayMatch"]').first().getByRole('button', { name: 'Unmatch' }).click();
    await expect.poll(() => table.locator('tr[data-status="mayMatch"]').count()).toBe(mayMatches - 1);
    if (mayMatches > 1) await page.getByRole('button', { name: 'Confirm all May match' }).click();

    // Tick one new teacher and batch-create their address: the school's domain is guessed, a preview, a count.
    const newRow = table.locator('tr[data-status="new"]').first();
    const importedName = (await newRow.locator('td:nth-child(3) .person').textContent())!.trim();
    await newRow.getByRole('checkbox').click();
    await expect.poll(() => page.locator('.counts').textContent()).toContain('1 to import');
    await page.getByRole('button', { name: 'Batch create email addresses' }).click();
    const batch = page.getByRole('dialog');
    expect(await batch.getByLabel('Domain').inputValue()).toBe('stmarys.sch.uk');
    // Addresses the MIS already gives are kept unless the co-ordinator asks to replace them.
    const replace = batch.getByLabel(/Also replace the address your MIS already gives/);
    if (await replace.count()) {
      await batch.getByText('0 addresses will be created').waitFor();
      await replace.check();
    }
    await batch.getByText('1 address will be created').waitFor();
    await batch.getByRole('button', { name: 'Create addresses' }).click();
    await page.getByText('1 email address created.').waitFor();
    await expect.poll(() => page.locator('.problems').count()).toBe(0);

    // Save and sync: progress in view, controls locked until the run ends; emails counted as emails.
    const save = page.getByRole('button', { name: 'Save and sync teachers' });
    await save.click();
    const confirm = page.getByRole('dialog', { name: 'Create 1 Admin Hub account?' });
    await confirm.getByText(/will be sent a welcome email/).waitFor();
    await confirm.getByRole('button', { name: 'Save and sync' }).click();
    await expect.poll(() => save.isDisabled(), { timeout: 2_000 }).toBe(true);
    await page
      .getByText(/Sync complete: 1 imported, \d+ matched or updated from your MIS, 1 welcome email sent/)
      .waitFor({ timeout: 60_000 });
    await expect.poll(() => save.isDisabled(), { timeout: 5_000 }).toBe(false);

    // The welcome email is in the local SES inbox; its link sets a password.
    const inbox = (await (await fetch(`${stack().sesInboxUrl}store`)).json()) as {
      emails: { destination: { to: string[] }; body: { text: string } }[];
    };
    expect(inbox.emails).toHaveLength(1);
    const welcome = inbox.emails[0]!;
    const email = welcome.destination.to[0]!;
    expect(email).toMatch(/@stmarys\.sch\.uk$/);
    expect(welcome.body.text).toContain(importedName.split(' ').find((part) => !/^(Mr|Mrs|Ms|Miss|Dr)$/.test(part))!);
    const link = /(http\S+set-password#token=\S+)/.exec(welcome.body.text)![1]!;

    // Unmatching a synced teacher asks in the app's own dialog and says what was restored.
    await page.reload();
    await table.waitFor();
    await page.getByLabel('New staff to show').selectOption('all');
    // The teacher matched by hand now carries the MIS's names; unmatching them brings the Hub's back.
    const synced = table.locator('tr[data-status="matched"]', { hasText: hubEmail });
    await synced.getByText('Linked by an earlier sync').waitFor();
    await synced.getByRole('button', { name: 'Unmatch' }).click();
    await page
      .getByRole('dialog')
      .getByText(/restored as it was before the sync/)
      .waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Unmatch' }).click();
    await page.getByText(`is unmatched, and the Admin Hub record is ${hubName} again`, { exact: false }).waitFor();
    await table.locator('tr[data-status="notMatched"]', { hasText: hubName }).waitFor();

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

  it('logged all of it as JSON, every pipeline line with its centre and run, and no personal data', () => {
    const lines = logs.lines();
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = records.filter((record) => record.message === 'request');
    expect(requests.length).toBeGreaterThan(20);
    for (const request of requests)
      expect(request).toMatchObject({ service: 'admin-hub-mis-sync', function_request_id: expect.any(String) });
    const pipeline = records.filter((record) => record.step);
    const steps = new Set(pipeline.map((record) => record.step));
    for (const step of ['load', 'backup', 'recheck', 'apply', 'notify', 'finish']) expect(steps).toContain(step);
    for (const record of pipeline) {
      expect(record.centreId).toBe('demo-centre');
      expect(record.runId ?? record.loadId).toEqual(expect.any(String));
    }
    const personal = personalValues(stack().assembly.generated!, demoHubHistory());
    expect(personal.length).toBeGreaterThan(500);
    const leaks = lines.flatMap((line) => personal.filter((value) => line.includes(value)));
    expect(leaks).toEqual([]);

    // Step Functions keeps every state's input and output: ids only there too.
    const executions = stack().executions() as { history: { type: string }[] }[];
    expect(executions.length).toBeGreaterThan(1);
    expect(
      executions.flatMap((execution) => execution.history).filter((event) => event.type === 'StateEntered').length,
    ).toBeGreaterThan(5);
    const histories = JSON.stringify(executions);
    expect(personal.filter((value) => histories.includes(value))).toEqual([]);
  });
});
