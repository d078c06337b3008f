import { schoolFileFor } from '../../infra/local/assembly/schoolData';
import { generatePupilScenario } from '../../shared/demo/matchingScenario';
import { generateSchool, PRIMARY_YEARS } from '../../shared/demo/school';
import { demoCentre, ownSchoolSignIn, type OwnSchool } from '../../shared/demo/seedDemo';
import { HAND_ENTERED, type HubPupil, type HubYearGroup } from '../../shared/domain/records';
import { usernameAllocator } from '../../shared/domain/usernames';
import { schoolFileSchema } from '../../shared/files/schoolFile';
import type { PupilRecord } from '../../shared/matching/types';
import { handler as signInHandler } from '../../functions/auth/signIn';
import { dependencies } from '../../shared/runtime/dependencies';
import { apiEvent, call, sessionCookieFrom } from './hub';
import { connectThroughConsent } from './assembly';
import { startTestStack } from './localStack';
import { panelClient, syncYearGroupsAndClasses } from './panels';

const CREATED_AT = '2019-09-02T08:30:00.000Z';

/**
 * A large generated school for the benches: what Assembly serves (SCHOOL.json, for the stand-in)
 * and a Hub typed in by hand years ago (noisy copies of most pupils, and leavers nobody deleted),
 * padded with more leavers to the size asked for.
 */
export function bigSchool(seed: string, pupils: number, hubPupils: number) {
  const school = generateSchool({ seed, pupils });
  const scenario = generatePupilScenario(seed, pupils);
  const centreId = demoCentre.centreId;
  const yearGroups: HubYearGroup[] = PRIMARY_YEARS.filter((year) => year.code !== 'N2').map((year) => ({
    yearGroupId: `hub-year-${year.code}`,
    centreId,
    name: year.code === 'R' ? 'Rec' : `Yr ${year.code}`,
    yearCode: year.code,
    intakeYear: null,
    ...HAND_ENTERED,
  }));
  const username = usernameAllocator();
  const hubPupil = (record: PupilRecord, id: string): HubPupil => ({
    pupilId: id,
    centreId,
    upn: record.upn,
    firstName: record.firstName ?? 'A',
    middleName: record.middleName,
    lastName: record.lastName ?? 'B',
    dob: record.dob,
    gender: record.gender,
    pupilPremium: null,
    intakeYear: null,
    homeLanguage: null,
    username: username(record.firstName ?? 'A', record.lastName ?? 'B'),
    markAccess: true,
    yearGroupId: record.yearCode && record.yearCode !== 'N2' ? `hub-year-${record.yearCode}` : null,
    classIds: [],
    ...HAND_ENTERED,
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
  });
  const hub = scenario.hub.map((record) => hubPupil(record, record.id));
  // More children who left long ago, until the Hub is as large as asked.
  const more = generatePupilScenario(`${seed}:more`, Math.max(0, hubPupils - hub.length)).mis;
  for (const record of more.slice(0, Math.max(0, hubPupils - hub.length)))
    hub.push(hubPupil({ ...record, yearCode: '6' }, `hub-more-${record.id}`));
  const ownSchool: OwnSchool = { school: schoolFileSchema.parse(schoolFileFor(school)), hub: null };
  return { ownSchool, yearGroups, pupils: hub, misPupils: school.pupils.length };
}

/** Puts the big school's Hub in the demo centre, and signs in as its co-ordinator: the session cookie. */
export async function seedBigHub(hub: { yearGroups: HubYearGroup[]; pupils: HubPupil[] }): Promise<string> {
  const { store } = dependencies();
  await store.putYearGroups(hub.yearGroups);
  await store.putPupils(hub.pupils);
  const response = await call(
    signInHandler,
    apiEvent('POST /api/auth/sign-in', {
      body: { email: ownSchoolSignIn.coordinatorEmail, password: demoCentre.coordinatorPassword },
    }),
  );
  return sessionCookieFrom(response.cookies);
}

/**
 * The big school on the local stack, as far as the Pupils panel: Hub seeded, Assembly connected,
 * year groups and classes synced, all pupils chosen. The caller stops the stack.
 */
export async function startBigSchool(seed: string, pupils: number, hubPupils: number) {
  const big = bigSchool(seed, pupils, hubPupils);
  const stack = await startTestStack({ ownSchool: big.ownSchool });
  try {
    const cookie = await seedBigHub(big);
    await connectThroughConsent(stack.assembly, cookie);
    await syncYearGroupsAndClasses(cookie);
    const client = await panelClient(cookie, 'pupils');
    const choice = (await client.send('GET', '/selection')).body as { planVersion: number };
    await client.send('PUT', '/selection', { planVersion: choice.planVersion, selection: null });
    return { big, stack, cookie, client };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}
