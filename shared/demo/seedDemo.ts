import { createAccountWithPassword } from '../auth/signIn';
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

export function demoSchool(): MisSchool {
  return generateSchool({ seed: demoCentre.seed, pupils: 224, academicYearStart: 2026 });
}

export function demoHubHistory(): HubHistory {
  return generateHubHistory(demoSchool(), { ...demoCentre, createdAt: '2019-09-02T08:30:00.000Z' });
}

export interface SeedOutcome {
  seeded: boolean;
  credentials: { role: string; email: string; password: string }[];
}

/**
 * Seeds the demo centre once. Every write is idempotent and the centre item goes last, so a
 * start that died half way through simply seeds again; a seeded centre is never overwritten.
 */
export async function seedDemoCentre(store: HubStore): Promise<SeedOutcome> {
  const history = demoHubHistory();
  const credentials = history.accounts.map(({ account, password }) => ({ role: account.role, email: account.email, password }));
  if (await store.getCentre(history.centre.centreId)) return { seeded: false, credentials };

  for (const { account, password } of history.accounts) {
    try {
      await createAccountWithPassword(store, account, password);
    } catch (error) {
      if (!(error instanceof EmailTakenError)) throw error;
    }
  }
  await store.putYearGroups(history.yearGroups);
  await store.putClasses(history.classes);
  await store.putTeachers(history.teachers);
  await store.putPupils(history.pupils);
  await store.putCentreIfAbsent(history.centre);
  return { seeded: true, credentials };
}
