import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { localDynamoClient } from '../../infra/local/dynamoLocal';
import { createDocumentClient } from '../../shared/store/dynamo/dynamoHubStore';
import { HAND_ENTERED } from '../../shared/domain/records';
import type { Dependencies } from '../../shared/runtime/dependencies';
import { CHUNK_SIZE } from '../../shared/sync/runs';
import type { TeacherEntry } from '../../shared/wizard/teachers/sync';
import type { YearGroupEntry } from '../../shared/wizard/yearGroups/sync';
import type { ClassEntry } from '../../shared/wizard/classes/sync';
import type { PupilEntry } from '../../shared/wizard/pupils/sync';
import type { NightlyEntry } from '../../shared/nightly/plan';

/**
 * What the pipeline fault suite (test/integration/pipelineFaults.test.ts) runs for each kind of
 * run and of load the wizard registers. A new panel adds its entry here; the suite finds it
 * through the registry and fails, naming the kind, until it does.
 */
export interface RunScenario {
  /** Seeds a fresh centre and returns the entries of a run over it: more than one chunk, every operation. */
  prepare(deps: Dependencies, centreId: string): Promise<unknown[]>;
}

const at = '2026-09-01T08:00:00.000Z';

export const runScenarios: Record<string, RunScenario> = {
  teachers: {
    async prepare(deps, centreId) {
      await deps.store.putCentreIfAbsent({ centreId, name: `School ${centreId}`, urn: null, createdAt: at });
      const linked = Array.from({ length: CHUNK_SIZE + 5 }, (_, index) => ({
        teacherId: `hub-${index}`,
        centreId,
        title: 'Mr',
        firstName: 'Iolo',
        lastName: `Original${index}`,
        email: `iolo.${index}@${centreId}.example`,
        ...HAND_ENTERED,
        createdAt: at,
        updatedAt: at,
      }));
      await deps.store.putTeachers(linked);
      const links: TeacherEntry[] = linked.map((teacher, index) => ({
        op: 'link',
        hubId: teacher.teacherId,
        misId: `mis-${index}`,
        replacesMisId: null,
        version: 0,
        label: teacher.teacherId,
        title: 'Dr',
        firstName: 'Iolo',
        lastName: `Fromthemis${index}`,
      }));
      const imports: TeacherEntry[] = Array.from({ length: 8 }, (_, index) => ({
        op: 'import',
        misId: `new-${index}`,
        label: `new-${index}`,
        title: 'Ms',
        firstName: 'Seren',
        lastName: `Price${index}`,
        email: `seren.${index}@${centreId}.example`,
      }));
      // Imports in both chunks, so both chunks send welcome emails.
      return [...imports.slice(0, 4), ...links, ...imports.slice(4)];
    },
  },
  'year-groups': {
    async prepare(deps, centreId) {
      await deps.store.putCentreIfAbsent({ centreId, name: `School ${centreId}`, urn: null, createdAt: at });
      const groups = Array.from({ length: CHUNK_SIZE + 5 }, (_, index) => ({
        yearGroupId: `hub-year-${index}`,
        centreId,
        name: `Yr ${index}`,
        yearCode: String((index % 13) + 1),
        intakeYear: 2000,
        ...HAND_ENTERED,
      }));
      await deps.store.putYearGroups(groups);
      const links: YearGroupEntry[] = groups.map((group, index) => ({
        op: 'link',
        hubId: group.yearGroupId,
        misId: `mis-year-${index}`,
        replacesMisId: null,
        version: 0,
        label: `Year ${index}`,
        name: `Year ${index}`,
        yearCode: group.yearCode,
        intakeYear: 2026 - index,
      }));
      const imports: YearGroupEntry[] = Array.from({ length: 6 }, (_, index) => ({
        op: 'import',
        misId: `mis-new-year-${index}`,
        label: `New ${index}`,
        name: `New ${index}`,
        yearCode: 'R',
        intakeYear: 2026,
      }));
      return [...imports.slice(0, 3), ...links, ...imports.slice(3)];
    },
  },
  classes: {
    async prepare(deps, centreId) {
      await deps.store.putCentreIfAbsent({ centreId, name: `School ${centreId}`, urn: null, createdAt: at });
      await deps.store.putYearGroups([
        { yearGroupId: 'hub-year-3', centreId, name: 'Year 3', yearCode: '3', intakeYear: 2023, ...HAND_ENTERED },
      ]);
      const groups = Array.from({ length: CHUNK_SIZE + 5 }, (_, index) => ({
        classId: `hub-class-${index}`,
        centreId,
        name: `3${index}`,
        description: null,
        yearGroupId: 'hub-year-3',
        ...HAND_ENTERED,
      }));
      await deps.store.putClasses(groups);
      const values = { kind: 'registration' as const, subject: null, teacherIds: [], mixedYears: null };
      const links: ClassEntry[] = groups.map((group, index) => ({
        op: 'link',
        hubId: group.classId,
        misId: `reg-${index}`,
        replacesMisId: null,
        version: 0,
        label: `3 ${index}`,
        name: `3 ${index}`,
        ...values,
      }));
      const imports: ClassEntry[] = Array.from({ length: 6 }, (_, index) => ({
        op: 'import',
        misId: `teach-${index}`,
        label: `Maths ${index}`,
        name: `Maths ${index}`,
        yearGroupId: 'hub-year-3',
        description: index % 2 ? 'Set' : null,
        ...values,
        kind: 'teaching',
        subject: 'Mathematics',
        mixedYears: index === 0 ? ['3', '4'] : null,
      }));
      return [...imports.slice(0, 3), ...links, ...imports.slice(3)];
    },
  },
  pupils: {
    async prepare(deps, centreId) {
      await deps.store.putCentreIfAbsent({ centreId, name: `School ${centreId}`, urn: null, createdAt: at });
      await deps.store.putYearGroups([
        { yearGroupId: 'hub-year-3', centreId, name: 'Year 3', yearCode: '3', intakeYear: 2023, ...HAND_ENTERED },
      ]);
      await deps.store.putClasses([
        { classId: 'hub-class-3a', centreId, name: '3A', description: null, yearGroupId: 'hub-year-3', ...HAND_ENTERED },
        { classId: 'hub-class-club', centreId, name: 'Chess club', description: null, yearGroupId: null, ...HAND_ENTERED },
      ]);
      const pupils = Array.from({ length: CHUNK_SIZE + 5 }, (_, index) => ({
        pupilId: `hub-pupil-${index}`,
        centreId,
        upn: null,
        firstName: `Pupil${index}`,
        middleName: null,
        lastName: 'Hand',
        dob: null,
        gender: null,
        pupilPremium: null,
        intakeYear: null,
        homeLanguage: null,
        username: `phand${index}`,
        yearGroupId: null,
        classIds: index % 3 ? ['hub-class-club'] : [],
        ...HAND_ENTERED,
        createdAt: at,
        updatedAt: at,
      }));
      await deps.store.putPupils(pupils);
      const values = (index: number) => ({
        upn: null,
        firstName: `Pupil${index}`,
        middleName: null,
        lastName: 'Synced',
        dob: '2019-05-01',
        gender: 'F' as const,
        pupilPremium: index % 2 === 0,
        intakeYear: 2023,
        yearGroupId: 'hub-year-3',
        classIds: index % 3 ? ['hub-class-3a', 'hub-class-club'] : ['hub-class-3a'],
      });
      const links: PupilEntry[] = pupils.map((pupil, index) => ({
        op: 'link',
        hubId: pupil.pupilId,
        misId: `mis-${index}`,
        replacesMisId: null,
        version: 0,
        label: `Pupil ${index}`,
        ...values(index),
      }));
      const imports: PupilEntry[] = Array.from({ length: 6 }, (_, index) => ({
        op: 'import',
        misId: `mis-new-${index}`,
        label: `New ${index}`,
        username: `pnew${index}`,
        ...values(index),
        firstName: `New${index}`,
      }));
      return [...imports.slice(0, 3), ...links, ...imports.slice(3)];
    },
  },
  /** A night: the Pupils scenario's links and imports, synced teachers renamed, synced pupils who left. */
  nightly: {
    async prepare(deps, centreId) {
      const pupils = (await runScenarios.pupils!.prepare(deps, centreId)) as PupilEntry[];
      const teachers = Array.from({ length: 4 }, (_, index) => ({
        teacherId: `hub-teacher-${index}`,
        centreId,
        title: 'Mr',
        firstName: 'Iolo',
        lastName: `Before${index}`,
        email: `iolo.${index}@${centreId}.example`,
        ...HAND_ENTERED,
        misId: `mis-staff-${index}`,
        syncStatus: 'synced' as const,
        version: 1,
        createdAt: at,
        updatedAt: at,
      }));
      await deps.store.putTeachers(teachers);
      const leavers = Array.from({ length: 5 }, (_, index) => ({
        pupilId: `hub-leaver-${index}`,
        centreId,
        upn: null,
        firstName: `Leaver${index}`,
        middleName: null,
        lastName: 'Gone',
        dob: null,
        gender: null,
        pupilPremium: null,
        intakeYear: null,
        homeLanguage: null,
        username: `lgone${index}`,
        yearGroupId: null,
        classIds: [],
        ...HAND_ENTERED,
        misId: `mis-left-${index}`,
        syncStatus: 'synced' as const,
        version: 1,
        createdAt: at,
        updatedAt: at,
      }));
      await deps.store.putPupils(leavers);
      const entries: NightlyEntry[] = [
        ...pupils.map((entry) => ({ target: 'pupil' as const, entry })),
        ...teachers.map((teacher, index) => ({
          target: 'teacher' as const,
          entry: {
            op: 'link' as const,
            hubId: teacher.teacherId,
            misId: teacher.misId,
            replacesMisId: null,
            version: 1,
            label: teacher.teacherId,
            title: 'Dr',
            firstName: 'Iolo',
            lastName: `After${index}`,
          },
        })),
        ...leavers.map((pupil) => ({
          target: 'outOfSync' as const,
          entry: {
            recordKind: 'pupil' as const,
            hubId: pupil.pupilId,
            version: 1,
            label: pupil.pupilId,
            reason: 'left_mis' as const,
          },
        })),
      ];
      return entries;
    },
  },
};

/** Loads need a connected centre; what they fetch is the stand-in's school. */
export const loadScenarios: Record<string, true> = { teachers: true, 'year-groups': true, classes: true, pupils: true };

/** Attributes that differ between two equal runs: times, random tokens and ciphertexts. */
const VOLATILE = new Set([
  'createdAt',
  'updatedAt',
  'claimedAt',
  'sentAt',
  'startedAt',
  'finishedAt',
  'expiresAt',
  'connectedAt',
  'refreshedAt',
  'fetchedAt',
  'messageId',
  'tokenHash',
  'liveLinkHash',
  'accessTokenCiphertext',
  'refreshTokenCiphertext',
  'passwordHash',
  'accessTokenExpiresAt',
  'version',
]);

/**
 * Everything in the table that belongs to a centre (its partitions, its email guards, its
 * people's set-password links), with its own ids replaced by placeholders and volatile
 * attributes dropped: two runs that did the same work give the same list.
 */
export async function centreState(centreId: string, ids: Record<string, string> = {}): Promise<string[]> {
  const client = createDocumentClient(localDynamoClient(process.env.AWS_ENDPOINT_URL_DYNAMODB!));
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, never> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: process.env.TABLE_NAME!, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (startKey);
  // A large document's generation is random: each is named by the order it was written in.
  const generations = items.flatMap((item) =>
    JSON.stringify(item).includes(centreId) && item.type === 'document' ? [String(item.generation)] : [],
  );
  const replacements = Object.entries({
    ...Object.fromEntries(generations.map((generation, index) => [`G${index}`, generation])),
    ...ids,
    C: centreId,
  }).sort(([, a], [, b]) => b.length - a.length);
  return items
    .filter((item) => JSON.stringify(item).includes(centreId))
    .map((item) => {
      const kept = Object.fromEntries(
        Object.entries(item)
          .filter(([name]) => !VOLATILE.has(name))
          .map(([name, value]) => [name, name === 'PK' && /^(SETPASSWORD|SESSION)#/.test(String(value)) ? 'TOKEN' : value]),
      );
      let text = JSON.stringify(sortedKeys(kept));
      for (const [placeholder, id] of replacements) text = text.split(id).join(`<${placeholder}>`);
      return text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');
    })
    .sort();
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, nested]) => [name, sortedKeys(nested)]),
    );
  return value;
}
