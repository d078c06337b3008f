import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useStackAndBrowser } from '../support/localStack';

/** Getting back in, as a teacher and a co-ordinator do it: the local SES inbox stands in for theirs. */
const { stack, browser } = useStackAndBrowser();

async function inbox(address: string): Promise<string[]> {
  const store = (await (await fetch(`${stack().sesInboxUrl}store`)).json()) as {
    emails: { destination: { to: string[] }; body: { text: string } }[];
  };
  return store.emails.filter((email) => email.destination.to.includes(address)).map((email) => email.body.text);
}

const linkIn = (text: string) => /(http\S+\/set-password#token=\S+)/.exec(text)![1]!;

async function signIn(page: Page, email: string, password: string) {
  await page.goto(stack().url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function choosePassword(page: Page, link: string, password: string) {
  await page.goto('about:blank');
  await page.goto(link);
  await page.getByLabel('New password').fill(password);
  await page.getByLabel('Type it again').fill(password);
  await page.getByRole('button', { name: 'Set password' }).click();
}

describe('getting back in', () => {
  it('forgot password: a link in the inbox, a new password, signed in', async () => {
    const teacher = stack().seed.credentials.find((credential) => credential.role === 'teacher')!;
    const page = await browser().newPage();
    await page.goto(stack().url);
    await page.getByRole('button', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill(teacher.email);
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await page
      .getByRole('status')
      .getByText(/we have emailed it a link/)
      .waitFor();

    const [email] = await inbox(teacher.email);
    expect(email).toMatch(/expires in 1 hour/);
    await choosePassword(page, linkIn(email!), 'a brand new teacher password');
    await page.getByRole('heading', { name: 'Your password is set' }).waitFor();
    await page.getByRole('button', { name: 'Sign in' }).click();

    await signIn(page, teacher.email, 'a brand new teacher password');
    await page.getByRole('heading', { name: 'Teachers' }).waitFor();
    await page.close();
  });

  it('a resent welcome email works and the first one is refused', async () => {
    const coordinator = stack().seed.credentials.find((credential) => credential.role === 'access_coordinator')!;
    const page = await browser().newPage();
    await signIn(page, coordinator.email, coordinator.password);
    await page
      .getByRole('link', { name: 'Users' })
      .or(page.getByRole('link', { name: 'Teachers' }))
      .first()
      .waitFor();
    await page.goto(`${stack().url}/users/teachers`);

    // A hand-entered teacher with an email address and no account yet.
    const row = page
      .getByRole('row')
      .filter({ has: page.getByRole('button', { name: 'Send welcome email' }) })
      .first();
    await row.waitFor();
    const emailColumn = (await page.locator('thead th').allTextContents()).indexOf('Email');
    const address = (await row.locator('td').nth(emailColumn).textContent())!;
    await row.getByRole('button', { name: 'Send welcome email' }).click();
    await page.getByRole('status').getByText(`Welcome email sent to ${address}`).waitFor();
    const resend = page.getByRole('row').filter({ hasText: address }).getByRole('button', { name: 'Resend welcome email' });
    await resend.click();
    await expect.poll(async () => (await inbox(address)).length).toBe(2);
    const [first, second] = await inbox(address);

    await page.goto(linkIn(first!));
    await page
      .getByRole('alert')
      .getByText(/newer link has been sent/)
      .waitFor();
    await choosePassword(page, linkIn(second!), 'welcome at the second go');
    await page.getByRole('heading', { name: 'Your password is set' }).waitFor();

    // The teacher signs in on their own browser, not the co-ordinator's.
    await page.context().clearCookies();
    await signIn(page, address, 'welcome at the second go');
    await page.getByRole('heading', { name: 'Teachers' }).waitFor();
    await page.close();
  });
});
