import type { PupilRecord, TeacherRecord } from '../matching/types';
import { shortFormsOf } from '../domain/nicknames';
import { typo, variantOf, type PupilVariant } from './hubHistory';
import { SeededRandom } from './random';
import { asciiLetters, generateSchool, type MisPupil, type MisStaffMember } from './school';

/**
 * Hub and MIS records with the truth known, for tests and the matching benchmark: every MIS
 * pupil of a generated school, and a Hub holding noisy hand-typed copies of many of them plus
 * children who are not in the MIS at all (leavers, and other schools' same-name children).
 */
export interface PupilScenario {
  hub: PupilRecord[];
  mis: PupilRecord[];
  /** Hub id → the MIS id it truly is, or null. */
  truth: Map<string, string | null>;
  /** Hub id → how it was typed (for diagnostics: which kinds of slip are missed). */
  variants: Map<string, string>;
}

const VARIANTS: { variant: PupilVariant; weight: number }[] = [
  { variant: 'exact', weight: 42 },
  { variant: 'noUpn', weight: 16 },
  { variant: 'nickname', weight: 7 },
  { variant: 'typo', weight: 8 },
  { variant: 'firstTypo', weight: 4 },
  { variant: 'swappedDate', weight: 4 },
  { variant: 'nearDate', weight: 3 },
  { variant: 'noDob', weight: 7 },
  { variant: 'swappedNames', weight: 3 },
  { variant: 'middleAsFirst', weight: 3 },
  { variant: 'newSurname', weight: 6 },
  { variant: 'changedSurname', weight: 3 },
];

/** NC years in order: a Hub whose year groups were not promoted holds each pupil one year behind. */
const YEARS = ['N1', 'N2', 'R', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14'];
function yearBehind(yearCode: string): string | null {
  const index = YEARS.indexOf(yearCode);
  return index > 0 ? YEARS[index - 1]! : null;
}

export function misPupilRecord(pupil: MisPupil): PupilRecord {
  return {
    id: `mis-${pupil.id}`,
    upn: pupil.upn,
    misId: null,
    firstName: pupil.firstName,
    middleName: pupil.middleName,
    lastName: pupil.lastName,
    dob: pupil.dob,
    gender: pupil.gender,
    yearCode: pupil.yearCode,
  };
}

export function generatePupilScenario(seed: string | number, pupils: number): PupilScenario {
  const random = new SeededRandom(`scenario:${seed}`);
  const school = generateSchool({ seed, pupils });
  // Hub pupils who are not in the MIS are the school's leavers: mostly children who went on to
  // secondary school in earlier years, and a few of today's ages who moved away.
  const olderLeavers = [1, 2, 3, 4, 5].flatMap((yearsAgo) =>
    generateSchool({
      seed: `${seed}:leavers:${yearsAgo}`,
      pupils: Math.max(14, Math.round(pupils * 0.1)),
      academicYearStart: 2026 - yearsAgo,
    }).pupils.filter((pupil) => pupil.yearCode === '6'),
  );
  const movers = random
    .shuffle(generateSchool({ seed: `${seed}:movers`, pupils: Math.max(8, Math.round(pupils * 0.02)) }).pupils)
    .slice(0, Math.max(1, Math.round(pupils * 0.02)));
  const others = [...olderLeavers, ...movers];
  const mis = school.pupils.map(misPupilRecord);
  const hub: PupilRecord[] = [];
  const truth = new Map<string, string | null>();
  const variants = new Map<string, string>();
  const add = (fields: Omit<PupilRecord, 'id' | 'misId'>, misId: string | null, variant: string) => {
    const id = `hub-${hub.length + 1}`;
    hub.push({ id, misId: null, ...fields });
    truth.set(id, misId);
    variants.set(id, variant);
  };
  for (const pupil of school.pupils) {
    if (pupil.yearCode === 'N2' || random.chance(0.3)) continue;
    const variant = random.weighted(VARIANTS).variant;
    const behind = random.chance(0.05);
    const yearCode = behind ? yearBehind(pupil.yearCode) : random.chance(0.9) ? pupil.yearCode : null;
    const typed = variantOf(random, pupil, variant);
    // A record typed without a date of birth often has the gender all the same.
    if (variant === 'noDob' && random.chance(0.5)) typed.gender = pupil.gender;
    add(
      { ...typed, yearCode },
      `mis-${pupil.id}`,
      `${variant}${behind ? ', a year behind' : ''}${pupil.twinOf === null ? '' : ' (twin)'}`,
    );
  }
  for (const pupil of others) {
    if (random.chance(0.5)) continue;
    // Typed by hand like everyone else's, so a missing date of birth is no sign of a pupil still here.
    const variant = random.weighted(VARIANTS).variant;
    add({ ...variantOf(random, pupil, variant), yearCode: pupil.yearCode }, null, `leaver, ${variant}`);
  }
  return { hub, mis, truth, variants };
}

export interface TeacherScenario {
  hub: TeacherRecord[];
  mis: TeacherRecord[];
  truth: Map<string, string | null>;
}

/** MIS staff and a Hub of hand-typed teachers (nicknames, typos, married names, leavers), truth known. */
export function generateTeacherScenario(seed: string | number, staffCount: number, hubCount: number): TeacherScenario {
  const random = new SeededRandom(`teachers:${seed}`);
  const staff: MisStaffMember[] = [];
  for (let n = 0; staff.length < staffCount; n++) staff.push(...generateSchool({ seed: `${seed}:${n}`, pupils: 224 }).staff);
  staff.length = staffCount;
  const mis: TeacherRecord[] = staff.map((member, index) => ({
    id: `mis-${index + 1}`,
    title: member.title,
    firstName: member.firstName,
    lastName: member.lastName,
    email: member.email,
    misId: null,
    staffCode: member.staffCode,
  }));
  const hub: TeacherRecord[] = [];
  const truth = new Map<string, string | null>();
  for (const [index, member] of staff.entries()) {
    if (hub.length >= hubCount * 0.8) break;
    if (random.chance(0.35)) continue;
    const id = `hub-${hub.length + 1}`;
    const kind = random.pick(['exact', 'exact', 'nickname', 'typo', 'married', 'personalEmail'] as const);
    const short = shortFormsOf(member.firstName)[0];
    const firstName = kind === 'nickname' && short ? short[0]!.toUpperCase() + short.slice(1) : member.firstName;
    const lastName =
      kind === 'typo'
        ? typo(random, member.lastName)
        : kind === 'married'
          ? random.pick(['Harrison', 'Patel', 'Nowak'])
          : member.lastName;
    const email =
      kind === 'personalEmail' || !member.email ? `${asciiLetters(firstName)}${random.int(1, 99)}@example.com` : member.email;
    hub.push({ id, title: member.title, firstName, lastName, email, misId: null });
    truth.set(id, `mis-${index + 1}`);
  }
  // Leavers: former staff. Two different teachers with the very same name at one school is too
  // rare to model (and no one could tell them apart by name), so leavers' names differ from today's staff.
  const staffNames = new Set(staff.map((member) => `${member.firstName} ${member.lastName}`));
  for (let attempt = 0; hub.length < hubCount; attempt++) {
    const id = `hub-${hub.length + 1}`;
    const leaver = generateSchool({ seed: `${seed}:leaver:${attempt}`, pupils: 8 }).staff[0]!;
    if (staffNames.has(`${leaver.firstName} ${leaver.lastName}`)) continue;
    hub.push({
      id,
      title: leaver.title,
      firstName: leaver.firstName,
      lastName: leaver.lastName,
      email: `${asciiLetters(leaver.firstName)}.${asciiLetters(leaver.lastName)}@old-school.example`,
      misId: null,
    });
    truth.set(id, null);
  }
  return { hub, mis, truth };
}
