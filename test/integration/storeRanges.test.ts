import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { HAND_ENTERED, type HubPupilInput } from '../../shared/domain/records';
import { dependencies } from '../../shared/runtime/dependencies';
import { createDocumentClient } from '../../shared/store/dynamo/dynamoHubStore';

const now = new Date().toISOString();
const pupil = (pupilId: string): HubPupilInput => ({
  pupilId,
  centreId: 'centre-ranges',
  upn: null,
  firstName: 'Ada',
  middleName: null,
  lastName: 'Lovelace',
  dob: null,
  gender: null,
  pupilPremium: null,
  intakeYear: null,
  homeLanguage: null,
  username: `u-${pupilId}`,
  yearGroupId: null,
  classIds: [],
  ...HAND_ENTERED,
  createdAt: now,
  updatedAt: now,
});

const idsOf = (pupils: { pupilId: string }[]) => pupils.map((one) => one.pupilId).sort();

describe('A large list read in ranges at once', () => {
  it('reads every pupil once, whatever was added or deleted since its split points were learnt', async () => {
    const { store } = dependencies();
    // Ids of every shape a school's old Hub may hold: numbers, words, accents, an emoji (past U+FFFF).
    const ids = Array.from(
      { length: 1200 },
      (_, index) => [`${index}`, `mis-pupil-${index}`, `Zoë-${index}`, `😀-${index}`][index % 4]!,
    );
    await store.putPupils(ids.map(pupil));
    // The first read learns where to split; the second reads in ranges.
    expect(idsOf(await store.listPupilSummaries('centre-ranges'))).toEqual([...ids].sort());
    expect(idsOf(await store.listPupilSummaries('centre-ranges'))).toEqual([...ids].sort());

    // Pupils on and around the learnt boundaries go and come: still each exactly once.
    const all = idsOf(await store.listPupils('centre-ranges'));
    const gone = all.filter((_, index) => index % 3 === 0);
    const client = createDocumentClient();
    for (let start = 0; start < gone.length; start += 25)
      await client.send(
        new BatchWriteCommand({
          RequestItems: {
            [process.env.TABLE_NAME!]: gone.slice(start, start + 25).map((pupilId) => ({
              DeleteRequest: { Key: { PK: 'CENTRE#centre-ranges', SK: `PUPIL#${pupilId}` } },
            })),
          },
        }),
      );
    const added = ['', '!', '~', '\uffff', '𝔘'].map((suffix) => `${all[300]!}${suffix}`).filter((id) => id.length > 0);
    await store.putPupils(added.filter((id) => !all.includes(id)).map(pupil));
    const expected = idsOf(await store.listPupils('centre-ranges'));
    expect(expected.length).toBe(all.length - gone.length + added.filter((id) => !all.includes(id)).length);
    expect(idsOf(await store.listPupilSummaries('centre-ranges'))).toEqual(expected);
    // Loaded CI machines write 900 items slowly.
  }, 120_000);
});
