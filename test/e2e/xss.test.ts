import { exampleText } from '../support/examples';
import { describe, expect, it } from 'vitest';
import { parseJsonValue } from '../../shared/files/jsonFile';
import { schoolFileSchema } from '../../shared/files/schoolFile';
import { authoriseAndStartSync, signInAsCoordinator, useStackAndBrowser } from '../support/localStack';

/**
 * A MIS whose names carry markup (served by the stand-in from a school file): every page and
 * email shows it as text, and none of it runs.
 */
const FIRST = '<img src=x onerror="window.__xss=1">';
const LAST = '"><script>window.__xss=2</script>';
const school = JSON.parse(exampleText('school.json')) as {
  staff_members: Record<string, unknown>[];
  year_groups: Record<string, unknown>[];
  registration_groups: Record<string, unknown>[];
};
Object.assign(
  school.staff_members.find((member) => member.id === 14)!,
  { first_name: FIRST, last_name: LAST },
);
Object.assign(
  school.year_groups.find((group) => group.code === 'R')!,
  { name: `Reception ${FIRST}` },
);
Object.assign(
  school.registration_groups.find((group) => group.id === 401)!,
  { name: `Maple ${LAST}` },
);
const { stack, browser } = useStackAndBrowser({
  ownSchool: { school: parseJsonValue(schoolFileSchema, school, 'school.json'), hub: null },
});

describe('names with markup from the MIS', () => {
  it('render as text in the Teachers panel, after import, in Users › Teachers and in the welcome email', async () => {
    const page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
    const ran = () => page.evaluate(() => (window as unknown as { __xss?: number }).__xss ?? null);
    const injected = () => page.locator('img[src="x"], script:text("__xss")').count();
    await signInAsCoordinator(page, stack());
    await authoriseAndStartSync(page);

    const row = page.locator('table.review tr[data-status="new"]', { hasText: 'onerror' });
    await row.waitFor();
    expect(await row.locator('.person').first().textContent()).toContain(`${FIRST} ${LAST}`);
    expect(await ran()).toBeNull();
    expect(await injected()).toBe(0);

    await row.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Save and sync teachers' }).click();
    await page
      .getByRole('dialog', { name: 'Create 1 Admin Hub account?' })
      .getByRole('button', { name: 'Save and sync' })
      .click();
    await page.getByText(/Sync complete: 1 imported/).waitFor({ timeout: 60_000 });
    expect(await ran()).toBeNull();

    await page.locator('a[href="/users/teachers"]').click();
    await page.waitForURL(/\/users\/teachers$/);
    await page.getByText(FIRST, { exact: false }).first().waitFor();
    expect(await ran()).toBeNull();
    expect(await injected()).toBe(0);

    const inbox = (await (await fetch(`${stack().sesInboxUrl}store`)).json()) as {
      emails: { body: { text?: string; html?: string } }[];
    };
    expect(inbox.emails).toHaveLength(1);
    const { html, text } = inbox.emails[0]!.body;
    expect(html).toContain('&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;');
    expect(html).not.toContain('<img');
    expect(text).toContain(FIRST);

    // The password-reset email carries the imported teacher's name too.
    await page.evaluate(
      (email) =>
        fetch('/api/auth/forgot-password', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email }),
        }),
      'j.kowalska@oakfield.sch.uk',
    );
    const emails = async () => ((await (await fetch(`${stack().sesInboxUrl}store`)).json()) as typeof inbox).emails;
    await expect.poll(async () => (await emails()).length, { timeout: 10_000 }).toBe(2);
    const reset = (await emails())[1]!.body;
    expect(reset.html).toContain('&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;');
    expect(reset.html).not.toContain('<img');
    await page.close();
  });

  it('render as text in the Year groups and Classes panels', async () => {
    const page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
    const ran = () => page.evaluate(() => (window as unknown as { __xss?: number }).__xss ?? null);
    await signInAsCoordinator(page, stack());
    await page.goto(`${stack().url}/school/mis-data-sync/year-groups`);
    const yearGroup = page.locator('.year-groups-panel tr', { hasText: 'onerror' }).first();
    await yearGroup.waitFor();
    expect(await yearGroup.locator('.person').first().textContent()).toBe(`Reception ${FIRST}`);
    await page.goto(`${stack().url}/school/mis-data-sync/classes`);
    const group = page.locator('.classes-panel .person', { hasText: 'Maple' }).first();
    await group.waitFor();
    expect(await group.textContent()).toBe(`Maple ${LAST}`);
    // The markup-named teacher is listed, as text, with the classes they teach.
    expect(await page.locator('.classes-panel ul.teachers li', { hasText: '__xss=2' }).count()).toBeGreaterThan(0);
    expect(await page.locator('img[src="x"], script:text("__xss")').count()).toBe(0);
    expect(await ran()).toBeNull();
    await page.close();
  });
});
