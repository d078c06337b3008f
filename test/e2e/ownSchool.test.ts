import { EXAMPLES_DIR, exampleText } from '../support/examples';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readOwnSchool } from '../../infra/local/ownSchool';
import { REPO_ROOT } from '../../infra/local/localStack';
import { ownSchoolSignIn } from '../../shared/demo/seedDemo';
import { signInAsCoordinator, useStackAndBrowser } from '../support/localStack';

/**
 * Bring your own school: the stack started from the hand-written example files of
 * docs/own-school.md. Authorising names that school; the Teachers panel shows exactly its
 * staff on the MIS side and the Hub file's teachers on the Hub side.
 */
const ownSchool = readOwnSchool({ school: join(EXAMPLES_DIR, 'school.json'), hub: join(EXAMPLES_DIR, 'hub.json') })!;
const { stack, browser } = useStackAndBrowser({ ownSchool });

const fullName = (person: { first_name?: unknown; last_name?: unknown }) =>
  `${String(person.first_name)} ${String(person.last_name)}`;

describe('npm start -- --school SCHOOL.json --hub HUB.json', () => {
  it('serves that school and seeds that Hub', async () => {
    const coordinator = stack().seed.credentials.find((credential) => credential.role === 'access_coordinator')!;
    expect(coordinator.email).toBe(ownSchoolSignIn.coordinatorEmail);
    const page = await browser().newPage({ viewport: { width: 1024, height: 800 } });
    await signInAsCoordinator(page, stack());
    await page.getByRole('button', { name: 'Authorise' }).click();
    await page.getByText('would like to access data from Oakfield Church of England Primary School').waitFor();
    await page.getByRole('button', { name: 'Authorise app' }).click();
    await page.getByText('Connected to Oakfield Church of England Primary School since').waitFor();

    await page.getByRole('button', { name: 'Start sync' }).click();
    const table = page.locator('table.review');
    await table.waitFor();
    await page.getByLabel('New staff to show').selectOption('all');
    const cells = async (column: number) =>
      (await table.locator(`tbody td:nth-child(${column}) .person`).allTextContents()).map((text) => text.trim()).sort();
    const hubSide = await cells(2);
    const misSide = await cells(3);
    expect(hubSide).toHaveLength(ownSchool.hub!.teachers.length);
    for (const teacher of ownSchool.hub!.teachers) expect(hubSide.some((text) => text.endsWith(fullName(teacher)))).toBe(true);
    expect(misSide).toHaveLength(ownSchool.school.staff_members.length);
    for (const member of ownSchool.school.staff_members)
      expect(misSide.some((text) => text.endsWith(fullName(member)))).toBe(true);
    // The teacher the Hub file linked to the MIS (mis_id 11) is paired by that link.
    await table.locator('tr[data-status="matched"]', { hasText: 'David Okafor' }).waitFor();
    await page.close();
  });

  it('stops the start on a malformed file, naming the JSON path of the first problem', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'own-school-'));
    const school = JSON.parse(exampleText('school.json')) as { students: { dob: string }[] };
    school.students[4]!.dob = '21/01/2020';
    writeFileSync(join(folder, 'school.json'), JSON.stringify(school));
    const started = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'infra/local/start.ts'), '--school', join(folder, 'school.json')],
      // A fresh process, as a person starts it (not this one's per-invocation log stores).
      { cwd: REPO_ROOT, env: { ...process.env, AWS_LAMBDA_MAX_CONCURRENCY: undefined } },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(started.code).toBe(1);
    expect(started.stderr).toContain('school.json does not fit its format:\n  students[4].dob: expected a date as YYYY-MM-DD');
  });
});
