/**
 * Support command: `npm run assembly -- pull --api <base-url> --oauth <base-url> --token <access-token> --out <file.json>`
 * writes the school as SCHOOL.json, the format `npm start -- --school` serves (docs/own-school.md).
 * Fetches a school's rostering data with the project's Assembly client and writes it as JSON.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AssemblyClient } from '../shared/assembly/client';
import { AssemblyError } from '../shared/assembly/errors';

const USAGE = 'usage: npm run assembly -- pull --api <base-url> --oauth <base-url> --token <access-token> --out <file.json>';

async function pull(api: string, oauth: string, token: string, out: string): Promise<void> {
  // A pasted access token has no refresh token and needs no client credentials.
  const client = new AssemblyClient({
    // A person at a terminal can wait out Assembly's rate limit; a Lambda must not.
    maxRateLimitRetries: 5,
    apiBaseUrl: api,
    oauthBaseUrl: oauth,
    clientId: 'support',
    clientSecret: '',
    redirectUri: 'urn:support',
    maxRetries: 3,
  });
  const tokens = { accessToken: token, refreshToken: null };
  const items = <T>(listing: { notModified: true } | { notModified: false; items: T[] }) =>
    listing.notModified ? [] : listing.items;
  const school = await client.school(tokens);
  // Written as SCHOOL.json (docs/own-school.md): `npm start -- --school` serves it back.
  const file = {
    school,
    academic_years: await client.academicYears(tokens),
    year_groups: items(await client.yearGroups(tokens)),
    registration_groups: items(await client.registrationGroups(tokens)),
    teaching_groups: items(await client.teachingGroups(tokens)),
    staff_members: items(await client.staffMembers(tokens)),
    staff_members_left: items(await client.leftStaffMembers(tokens)),
    students: items(await client.students(tokens, { include: ['demographics'] })),
    students_left: items(await client.leftStudents(tokens)),
  };
  writeFileSync(out, `${JSON.stringify(file, null, 2)}\n`);
  const { staff_members: staff, students, year_groups: yearGroups, registration_groups: registrationGroups } = file;
  const teachingGroups = file.teaching_groups;
  console.log(
    `${school.name ?? 'School'}: ${staff.length} staff, ${students.length} students, ${yearGroups.length} year groups, ${registrationGroups.length} registration groups, ${teachingGroups.length} teaching groups → ${out}`,
  );
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { api: { type: 'string' }, oauth: { type: 'string' }, token: { type: 'string' }, out: { type: 'string' } },
  });
  if (positionals[0] !== 'pull' || !values.api || !values.oauth || !values.token || !values.out) {
    console.error(USAGE);
    return 2;
  }
  try {
    await pull(values.api, values.oauth, values.token, values.out);
    return 0;
  } catch (error) {
    if (error instanceof AssemblyError) {
      console.error(`Cannot pull from Assembly: ${error.message}`);
      return 1;
    }
    if (error instanceof TypeError || (error instanceof Error && error.name === 'AbortError')) {
      console.error(`Cannot reach Assembly at ${values.api}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main();
