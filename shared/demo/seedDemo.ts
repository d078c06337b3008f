import { createAccountWithPassword, type NewAccount } from '../auth/signIn';
import type { Centre } from '../domain/records';
import { hubRecordsFrom, type HubFile, type HubRecords } from '../files/hubFile';
import type { SchoolFile } from '../files/schoolFile';
import { EmailTakenError, type HubStore } from '../store/hubStore';
import { generateHubHistory, type HubHistory } from './hubHistory';
import { generateSchool, type MisSchool } from './school';

/** The demo centre every fresh local stack starts with. */
export const demoCentre = {
  centreId: 'demo-centre',
  seed: 'demo',
  coordinatorPassword: 'coordinator-demo-2026',
  teacherPassword: 'teacher-demo-2026',
} as const;

/** The sign-in addresses of a centre seeded from SCHOOL.json (the generated school has its own). */
export const ownSchoolSignIn = {
  coordinatorEmail: 'coordinator@admin-hub.local',
  teacherEmail: 'teacher@admin-hub.local',
} as const;

const CREATED_AT = '2019-09-02T08:30:00.000Z';

export function demoSchool(): MisSchool {
  return generateSchool({ seed: demoCentre.seed, pupils: 224, academicYearStart: 2026 });
}

export function demoHubHistory(): HubHistory {
  return generateHubHistory(demoSchool(), { ...demoCentre, createdAt: CREATED_AT });
}

/** A school brought by the user: SCHOOL.json (what Assembly serves) and, optionally, HUB.json. */
export interface OwnSchool {
  school: SchoolFile;
  hub: HubFile | null;
}

export interface SeedOutcome {
  seeded: boolean;
  credentials: { role: string; email: string; password: string }[];
}

/** A centre to seed: the centre, its sign-in accounts and its Hub records. */
export interface CentreSeed {
  centre: Centre;
  accounts: { account: NewAccount; password: string }[];
  records: HubRecords;
}

/**
 * The demo centre for a school given as files: named as SCHOOL.json names it (so authorising
 * that school matches it), holding HUB.json's records, or only the two sign-in accounts.
 */
function ownSchoolSeed({ school, hub }: OwnSchool): CentreSeed {
  const { centreId } = demoCentre;
  const urn = school.school.urn;
  const account = (userId: string, email: string, role: NewAccount['role'], displayName: string, password: string) => ({
    account: { userId, centreId, email, role, displayName, teacherId: null, createdAt: CREATED_AT },
    password,
  });
  return {
    centre: {
      centreId,
      name: school.school.name,
      urn: urn === null || urn === undefined ? null : String(urn),
      createdAt: CREATED_AT,
    },
    accounts: [
      account(
        'user-coordinator',
        ownSchoolSignIn.coordinatorEmail,
        'access_coordinator',
        'Demo Co-ordinator',
        demoCentre.coordinatorPassword,
      ),
      account('user-teacher', ownSchoolSignIn.teacherEmail, 'teacher', 'Demo Teacher', demoCentre.teacherPassword),
    ],
    records: hub ? hubRecordsFrom(hub, centreId, CREATED_AT) : { teachers: [], yearGroups: [], classes: [], pupils: [] },
  };
}

function generatedSeed(): CentreSeed {
  const { centre, accounts, teachers, yearGroups, classes, pupils } = demoHubHistory();
  return { centre, accounts, records: { teachers, yearGroups, classes, pupils } };
}

/**
 * Seeds the demo centre once: the generated school's Hub, or the one given as files. Every
 * write is idempotent and the centre item goes last, so a start that died half way through
 * simply seeds again; a seeded centre is never overwritten.
 */
export async function seedDemoCentre(store: HubStore, own?: OwnSchool): Promise<SeedOutcome> {
  return seedCentre(store, own ? ownSchoolSeed(own) : generatedSeed());
}

/** Seeds a centre once (the demo centre, or the benches' many), as `seedDemoCentre` describes. */
export async function seedCentre(store: HubStore, { centre, accounts, records }: CentreSeed): Promise<SeedOutcome> {
  const credentials = accounts.map(({ account, password }) => ({ role: account.role, email: account.email, password }));
  if (await store.getCentre(centre.centreId)) return { seeded: false, credentials };

  for (const { account, password } of accounts) {
    try {
      await createAccountWithPassword(store, account, password);
    } catch (error) {
      if (!(error instanceof EmailTakenError)) throw error;
    }
  }
  await store.putYearGroups(records.yearGroups);
  await store.putClasses(records.classes);
  await store.putTeachers(records.teachers);
  await store.putPupils(records.pupils);
  await store.putCentreIfAbsent(centre);
  return { seeded: true, credentials };
}
