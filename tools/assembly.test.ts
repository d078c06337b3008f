import { parseJsonFile } from '../shared/files/jsonFile';
import { schoolFileSchema } from '../shared/files/schoolFile';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAssemblyStandIn, type AssemblyStandIn } from '../infra/local/assembly/standIn';

let standIn: AssemblyStandIn;
beforeAll(async () => {
  standIn = await startAssemblyStandIn({ port: 0, clients: [{ clientId: 'support', clientSecret: 'x', redirectUris: [] }] });
});
afterAll(() => standIn?.stop());

/** Runs the command in a child process without blocking this one, which serves the stand-in. */
const pull = (api: string, token: string, out: string) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const args = [
      '--import',
      'tsx',
      join(import.meta.dirname, 'assembly.ts'),
      'pull',
      '--api',
      api,
      '--oauth',
      api,
      '--token',
      token,
      '--out',
      out,
    ];
    execFile(process.execPath, args, { timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });

describe('npm run assembly -- pull', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pull-'));

  it('writes the school’s rostering data and prints the counts', async () => {
    const { access_token: token } = (await (await fetch(`${standIn.url}/_standin/tokens`, { method: 'POST' })).json()) as {
      access_token: string;
    };
    const out = join(dir, 'school.json');

    const result = await pull(standIn.url, token, out);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      `${standIn.generated!.staff.length} staff, ${standIn.generated!.pupils.length} students, 8 year groups`,
    );
    // What it writes is SCHOOL.json, which `npm start -- --school` serves back.
    const written = parseJsonFile(schoolFileSchema, readFileSync(out, 'utf8'), 'school.json');
    expect(written.school.name).toBe(standIn.schoolName);
    expect(written.students).toHaveLength(standIn.generated!.pupils.length);
    expect(written.teaching_groups.flatMap((group) => group.student_ids).length).toBeGreaterThan(0);
  });

  it('exits non-zero with a clear message for a bad token', async () => {
    const result = await pull(standIn.url, 'not-a-token', join(dir, 'x.json'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Cannot pull from Assembly: The school’s Assembly authorisation has been revoked');
  });

  it('exits non-zero with a clear message when Assembly cannot be reached', async () => {
    const result = await pull('http://127.0.0.1:9', 'token', join(dir, 'y.json'));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Cannot pull from Assembly: Assembly is not answering/);
  });
});
