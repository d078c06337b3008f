import { exampleHub, exampleSchool } from '../support/examples';
import { describe, expect, it } from 'vitest';
import { handler as signInHandler } from '../../functions/auth/signIn';
import { ownSchoolSignIn, seedDemoCentre, demoCentre } from '../../shared/demo/seedDemo';
import { dependencies } from '../../shared/runtime/dependencies';
import { apiEvent, call, tableSnapshot } from '../support/hub';

/** The demo centre seeded from SCHOOL.json alone (with HUB.json: ownSchoolHub.test.ts). */
const school = exampleSchool();
const hub = exampleHub();

describe('seeding the demo centre from files', () => {
  it('with SCHOOL.json alone: the school’s name and URN, and only the two sign-in accounts', async () => {
    const { store } = dependencies();
    const seeded = await seedDemoCentre(store, { school, hub: null });
    expect(seeded.seeded).toBe(true);
    expect(await store.getCentre(demoCentre.centreId)).toMatchObject({
      name: 'Oakfield Church of England Primary School',
      urn: '140321',
    });
    expect(await store.listTeachers(demoCentre.centreId)).toEqual([]);
    expect(await store.listPupils(demoCentre.centreId)).toEqual([]);
    for (const credential of seeded.credentials) {
      const signedIn = await call(
        signInHandler,
        apiEvent('POST /api/auth/sign-in', { body: { email: credential.email, password: credential.password } }),
      );
      expect(signedIn.status).toBe(200);
    }
    expect(seeded.credentials.map((credential) => credential.email).sort()).toEqual(
      [ownSchoolSignIn.coordinatorEmail, ownSchoolSignIn.teacherEmail].sort(),
    );
    // Seeding again changes nothing.
    const before = await tableSnapshot();
    expect((await seedDemoCentre(store, { school, hub })).seeded).toBe(false);
    expect(await tableSnapshot()).toEqual(before);
  });
});
