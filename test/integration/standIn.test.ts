import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AssemblyClient, OPTIONAL_SCOPES, REQUIRED_SCOPES, type SchoolTokens } from '../../shared/assembly/client';
import { AssemblyRateLimitError } from '../../shared/assembly/errors';
import { schoolFileSchema, type SchoolFile } from '../../shared/files/schoolFile';
import { startAssemblyStandIn, type AssemblyStandIn } from '../../infra/local/assembly/standIn';

/**
 * What later issues rely on the stand-in for, as Assembly does it: conditional requests that
 * return only what changed, /school/status, a school replaced while it runs, and several
 * schools at once with a budget each.
 */
const CLIENT = { clientId: 'stand-in-test', clientSecret: 'secret', redirectUris: ['http://localhost:9/callback'] };
let standIn: AssemblyStandIn;

const assembly = () =>
  new AssemblyClient({
    apiBaseUrl: standIn.url,
    oauthBaseUrl: standIn.url,
    clientId: CLIENT.clientId,
    clientSecret: CLIENT.clientSecret,
    redirectUri: CLIENT.redirectUris[0]!,
    sleep: async () => undefined,
  });

function tokensFor(schoolId?: number): SchoolTokens {
  const minted = standIn.mintToken([...REQUIRED_SCOPES, ...OPTIONAL_SCOPES], undefined, schoolId);
  return { accessToken: minted.accessToken, refreshToken: minted.refreshToken };
}

/** The school as served now, as SCHOOL.json, to change and serve again. */
function currentFile(schoolId?: number): SchoolFile {
  return schoolFileSchema.parse(standIn.served(schoolId).toFile());
}

const changedSince = async (tokens: SchoolTokens, since: string) => {
  const listing = await assembly().students(tokens, { ifModifiedSince: new Date(since) });
  return listing.notModified ? 'not modified' : listing;
};

beforeAll(async () => {
  standIn = await startAssemblyStandIn({ port: 0, pupils: 60, seed: 'stand-in-test', clients: [CLIENT] });
});
afterAll(() => standIn?.stop());
afterEach(() => Object.assign(standIn.faults, { budgetRequests: 600, budgetWindowSeconds: 300 }));

describe('the stand-in answers conditional requests as Assembly does', () => {
  it('returns only the pupil changed since, 304 when nothing is, and everything after a full sync', async () => {
    const tokens = tokensFor();
    const first = await assembly().students(tokens);
    if (first.notModified) throw new Error('a first listing is never 304');
    const everyone = standIn.generated!.pupils.length;
    expect(first.items).toHaveLength(everyone);
    const since = first.lastModified!;
    expect(await changedSince(tokens, since)).toBe('not modified');

    const file = currentFile();
    const renamed = file.students[7]!;
    file.students[7] = { ...renamed, last_name: `${String(renamed.last_name)}-Smith` };
    const outcome = standIn.replaceSchool(file);
    expect(outcome.changed).toEqual({ students: 1 });

    const after = await changedSince(tokens, since);
    if (after === 'not modified') throw new Error('one pupil changed');
    expect(after.items.map((student) => student.id)).toEqual([renamed.id]);
    expect(Date.parse(after.lastModified!)).toBeGreaterThan(Date.parse(since));
    expect(await changedSince(tokens, after.lastModified!)).toBe('not modified');
    // Only students changed: staff are still as they were.
    expect(await assembly().staffMembers(tokens, { ifModifiedSince: new Date(since) })).toEqual({ notModified: true });

    standIn.replaceSchool(currentFile(), { full: true });
    const full = await changedSince(tokens, after.lastModified!);
    expect(full === 'not modified' ? 0 : full.items.length).toBe(everyone);
  });

  it('shows a leaver in /students/left, not in /students', async () => {
    const tokens = tokensFor();
    const before = await assembly().leftStudents(tokens);
    const since = before.notModified ? null : before.lastModified!;
    const file = currentFile();
    const [leaver] = file.students.splice(3, 1);
    file.students_left.push({ ...leaver!, end_date: '2026-12-01T00:00:00.000Z' });
    for (const group of [...file.year_groups, ...file.registration_groups, ...file.teaching_groups])
      group.student_ids = group.student_ids.filter((id) => id !== leaver!.id);
    standIn.replaceSchool(file);

    const left = await assembly().leftStudents(tokens, { ifModifiedSince: new Date(since!) });
    expect(left.notModified ? [] : left.items.map((student) => student.id)).toEqual([leaver!.id]);
    const current = await changedSince(tokens, since!);
    expect(current === 'not modified' ? [] : current.items.map((student) => student.id)).toEqual([]);
  });
});

describe('a teaching group’s students', () => {
  it('lists every member once the group’s membership changed, and nothing while it has not', async () => {
    const { accessToken } = standIn.mintToken([...REQUIRED_SCOPES]);
    const file = currentFile();
    const group = file.teaching_groups[0]!;
    const members = async (since: string | null) => {
      const response = await fetch(`${standIn.url}/teaching_groups/${group.id}/students?per_page=1500`, {
        headers: {
          accept: 'application/vnd.assembly+json; version=1.1',
          authorization: `Bearer ${accessToken}`,
          ...(since ? { 'if-modified-since': since } : {}),
        },
      });
      const body = response.status === 304 ? null : ((await response.json()) as { id: number }[]);
      return {
        status: response.status,
        ids: body?.map((student) => student.id),
        lastModified: response.headers.get('last-modified')!,
      };
    };
    const first = await members(null);
    expect(await members(first.lastModified)).toMatchObject({ status: 304 });

    // Someone joins the group; no student record changes.
    const joiner = file.students.find((student) => !group.student_ids.includes(student.id))!;
    group.student_ids = [...group.student_ids, joiner.id];
    standIn.replaceSchool(file);
    const after = await members(first.lastModified);
    expect(after.status).toBe(200);
    expect(after.ids!.sort()).toEqual([...first.ids!, joiner.id].sort());
  });
});

describe('/school/status and replacing the school', () => {
  it('moves last_changes_at when the school changes, and says no_changes when it does not', async () => {
    const tokens = tokensFor();
    const before = await assembly().schoolStatus(tokens);
    expect(before).toMatchObject({ last_sync_status: 'success' });

    standIn.replaceSchool(currentFile());
    const unchanged = await assembly().schoolStatus(tokens);
    expect(unchanged).toMatchObject({ last_sync_status: 'no_changes', last_changes_at: before.last_changes_at });

    const file = currentFile();
    file.staff_members[0] = { ...file.staff_members[0]!, title: 'Dr' };
    const response = await fetch(`${standIn.url}/_standin/school`, { method: 'POST', body: JSON.stringify(file) });
    expect(await response.json()).toMatchObject({ school_id: standIn.schoolId, changed: { staff_members: 1 } });
    const changed = await assembly().schoolStatus(tokens);
    expect(changed.last_sync_status).toBe('success');
    expect(Date.parse(changed.last_changes_at!)).toBeGreaterThan(Date.parse(before.last_changes_at!));
  });

  it('refuses a malformed school with the JSON path of each problem, and keeps serving the old one', async () => {
    const file = currentFile() as unknown as { students: Record<string, unknown>[] };
    file.students[2]!.dob = '31/02/2015';
    const response = await fetch(`${standIn.url}/_standin/school`, { method: 'POST', body: JSON.stringify(file) });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_school',
      problems: ['students[2].dob: expected a date as YYYY-MM-DD'],
    });
    expect(currentFile().students[2]!.dob).not.toBe('31/02/2015');
  });
});

describe('several schools at once', () => {
  it('serves each token its own school, and keeps a budget per school token', async () => {
    const other = currentFile();
    other.school = { ...other.school, name: 'Riverside Primary School', urn: '123999' };
    standIn.replaceSchool(other, { schoolId: 9001 });
    Object.assign(standIn.faults, { budgetRequests: 5, budgetWindowSeconds: 60 });

    const first = tokensFor();
    const second = tokensFor(9001);
    expect((await assembly().school(second)).name).toBe('Riverside Primary School');
    for (let request = 0; request < 5; request++) await assembly().school(first);
    await expect(assembly().school(first)).rejects.toBeInstanceOf(AssemblyRateLimitError);
    // The other school's token still has four of its five left.
    for (let request = 0; request < 4; request++) expect((await assembly().school(second)).urn).toBe('123999');
    await expect(assembly().school(second)).rejects.toBeInstanceOf(AssemblyRateLimitError);
  });
});
