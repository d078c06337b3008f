import type { NewAccount } from '../auth/signIn';
import { HAND_ENTERED, type Centre, type HubClass, type HubPupil, type HubTeacher, type HubYearGroup } from '../domain/records';
import { shortFormsOf } from '../domain/nicknames';
import { SeededRandom } from './random';
import { usernameAllocator } from '../domain/usernames';
import { asciiLetters, PRIMARY_YEARS, type MisPupil, type MisSchool, type MisStaffMember } from './school';

/**
 * The Hub as a school really has it before its first sync: teachers, pupils, classes and
 * year groups "entered by hand years ago", with typos, nicknames, swapped dates and leavers
 * nobody deleted, so that matching shows every status (Matched, May match, New, Not matched).
 */
export interface HubHistory {
  centre: Centre;
  accounts: { account: NewAccount; password: string }[];
  teachers: HubTeacher[];
  pupils: HubPupil[];
  yearGroups: HubYearGroup[];
  classes: HubClass[];
}

export interface HubHistoryOptions {
  centreId: string;
  seed: string | number;
  createdAt: string;
  coordinatorPassword: string;
  teacherPassword: string;
}

export function generateHubHistory(school: MisSchool, options: HubHistoryOptions): HubHistory {
  const random = new SeededRandom(`hub:${options.seed}`);
  const { centreId, createdAt } = options;
  const centre: Centre = { centreId, name: school.name, urn: school.urn, createdAt };

  const teachers = handEnteredTeachers(random, school, centreId, createdAt);
  const coordinatorTeacher = teachers[0]!;
  // The demo teacher is a class teacher (once the classes are synced, they mark their class's papers),
  // entered exactly as the MIS has them.
  const classTeacherIds = new Set(school.registrationGroups.flatMap((group) => group.supervisorIds));
  const accountTeacher =
    teachers.find(
      (teacher, index) =>
        index > 0 &&
        school.staff.some(
          (member) =>
            classTeacherIds.has(member.id) &&
            member.firstName === teacher.firstName &&
            member.lastName === teacher.lastName &&
            member.email === teacher.email,
        ),
    ) ?? teachers[1]!;
  const accounts: HubHistory['accounts'] = [
    {
      account: {
        userId: 'user-coordinator',
        centreId,
        email: coordinatorTeacher.email!,
        role: 'access_coordinator',
        displayName: `${coordinatorTeacher.firstName} ${coordinatorTeacher.lastName}`,
        teacherId: coordinatorTeacher.teacherId,
        createdAt,
      },
      password: options.coordinatorPassword,
    },
    {
      account: {
        userId: 'user-teacher',
        centreId,
        email: accountTeacher.email!,
        role: 'teacher',
        displayName: `${accountTeacher.firstName} ${accountTeacher.lastName}`,
        teacherId: accountTeacher.teacherId,
        createdAt,
      },
      password: options.teacherPassword,
    },
  ];

  const yearGroups = handEnteredYearGroups(school, centreId);
  const { classes, classOfGroup } = handEnteredClasses(random, school, centreId, yearGroups);
  const pupils = handEnteredPupils(random, school, centreId, createdAt, yearGroups, classOfGroup);
  return { centre, accounts, teachers, pupils, yearGroups, classes };
}

function handEnteredTeachers(random: SeededRandom, school: MisSchool, centreId: string, createdAt: string): HubTeacher[] {
  const teaching = school.staff.filter((member) => member.isTeachingStaff);
  const teachers: HubTeacher[] = [];
  const add = (member: Pick<MisStaffMember, 'title' | 'firstName' | 'lastName'>, email: string) =>
    teachers.push({
      teacherId: `hub-teacher-${String(teachers.length + 1).padStart(3, '0')}`,
      centreId,
      title: member.title,
      firstName: member.firstName,
      lastName: member.lastName,
      email,
      ...HAND_ENTERED,
      createdAt,
      updatedAt: createdAt,
    });
  const emailFor = (firstName: string, lastName: string) =>
    `${asciiLetters(firstName)}.${asciiLetters(lastName)}@${school.emailDomain}`;

  // About two thirds of today's teaching staff were entered by hand, in one of several ways.
  const entered = teaching.slice(0, Math.max(4, Math.round(teaching.length * 0.65)));
  entered.forEach((member, index) => {
    const kind =
      index < 2
        ? 'exact'
        : index === 2
          ? 'typo'
          : random.pick(['exact', 'exact', 'exact', 'nickname', 'typo', 'married'] as const);
    if (kind === 'nickname') {
      const short = shortFormsOf(member.firstName)[0];
      const firstName = short ? capitalise(short) : member.firstName;
      add({ ...member, firstName }, member.email ?? emailFor(firstName, member.lastName));
    } else if (kind === 'typo') {
      // Typed with a slip, under a personal address: close, but not certain (May match).
      add(
        { ...member, lastName: typo(random, member.lastName) },
        `${asciiLetters(member.firstName)}${random.int(10, 99)}@example.com`,
      );
    } else if (kind === 'married') {
      const lastName = random.pick(['Harrison', 'Patel', 'Nowak', 'Okafor', 'Campbell']);
      add({ ...member, lastName }, emailFor(member.firstName, lastName));
    } else {
      add(member, member.email ?? emailFor(member.firstName, member.lastName));
    }
  });
  // Leavers nobody deleted.
  for (const [title, firstName, lastName] of [
    ['Mrs', 'Janet', 'Whitmore'],
    ['Mr', 'Graham', 'Pickering'],
    ['Miss', 'Hannah', 'Doherty'],
  ] as const) {
    add({ title, firstName, lastName }, emailFor(firstName, lastName));
  }
  return teachers;
}

function handEnteredYearGroups(school: MisSchool, centreId: string): HubYearGroup[] {
  // Reception to Year 4 were set up when the school started using MARK; Nursery never is.
  const startYear = school.academicYear.startYear;
  return PRIMARY_YEARS.filter((year) => ['R', '1', '2', '3', '4'].includes(year.code)).map((year) => ({
    yearGroupId: `hub-year-${year.code.toLowerCase()}`,
    centreId,
    name: year.code === 'R' ? 'Reception' : `Yr ${year.code}`,
    yearCode: year.code,
    intakeYear: startYear - year.offset,
    ...HAND_ENTERED,
  }));
}

/** A class made by hand in MARK: no MIS kind, subject, teachers or years. */
const HAND_CLASS = { kind: null, subject: null, teacherIds: [], mixedYears: null };

/** The classes entered by hand, and the one entered for each MIS registration group (by the group's id). */
function handEnteredClasses(
  random: SeededRandom,
  school: MisSchool,
  centreId: string,
  yearGroups: HubYearGroup[],
): { classes: HubClass[]; classOfGroup: Map<number, string> } {
  const classes: HubClass[] = [];
  const classOfGroup = new Map<number, string>();
  const yearGroupFor = (code: string) => yearGroups.find((yearGroup) => yearGroup.yearCode === code)?.yearGroupId ?? null;
  // The mixed-year MIS class was split in MARK, as the product guide's FAQ describes.
  for (const code of ['1', '2']) {
    classes.push({
      classId: `hub-class-${code}swans`,
      centreId,
      name: `${code}Swans`,
      description: 'Mixed Y1/Y2 class',
      yearGroupId: yearGroupFor(code),
      ...HAND_CLASS,
      ...HAND_ENTERED,
    });
  }
  for (const group of school.registrationGroups) {
    const code = group.yearCodes[0]!;
    if (group.yearCodes.length > 1 || code === 'N2' || !yearGroupFor(code) || random.chance(0.3)) continue;
    classOfGroup.set(group.id, `hub-class-${classes.length + 1}`);
    classes.push({
      classId: `hub-class-${classes.length + 1}`,
      centreId,
      name: random.chance(0.7) ? group.name : group.name.replace(/^(\w+) /, '$1'),
      description: null,
      yearGroupId: yearGroupFor(code),
      ...HAND_CLASS,
      ...HAND_ENTERED,
    });
  }
  return { classes, classOfGroup };
}

function handEnteredPupils(
  random: SeededRandom,
  school: MisSchool,
  centreId: string,
  createdAt: string,
  yearGroups: HubYearGroup[],
  classOfGroup: ReadonlyMap<number, string>,
): HubPupil[] {
  const pupils: HubPupil[] = [];
  /** The MIS pupils entered in the Hub, by id. */
  const entered = new Set<number>();
  const usernameFor = usernameAllocator();
  const mixed = new Set(school.registrationGroups.filter((group) => group.yearCodes.length > 1).map((group) => group.id));
  // Each pupil in the class entered for their registration group; the mixed Swans split by year (1Swans, 2Swans).
  const classOf = (pupil: MisPupil | null) => {
    if (!pupil) return [];
    if (mixed.has(pupil.registrationGroupId)) return [`hub-class-${pupil.yearCode}swans`];
    const classId = classOfGroup.get(pupil.registrationGroupId);
    return classId ? [classId] : [];
  };
  const add = (
    fields: Pick<HubPupil, 'upn' | 'firstName' | 'middleName' | 'lastName' | 'dob' | 'gender'>,
    yearCode: string | null,
    source: MisPupil | null = null,
  ) => {
    if (source) entered.add(source.id);
    const yearGroup = yearGroups.find((candidate) => candidate.yearCode === yearCode) ?? null;
    const username = usernameFor(fields.firstName, fields.lastName);
    pupils.push({
      pupilId: `hub-pupil-${String(pupils.length + 1).padStart(4, '0')}`,
      centreId,
      ...HAND_ENTERED,
      pupilPremium: null,
      intakeYear: yearGroup?.intakeYear ?? null,
      homeLanguage: null,
      username,
      markAccess: true,
      yearGroupId: yearGroup?.yearGroupId ?? null,
      classIds: classOf(source),
      createdAt,
      updatedAt: createdAt,
      ...fields,
    });
  };

  const onRoll = school.pupils.filter((pupil) => ['R', '1', '2', '3', '4'].includes(pupil.yearCode));
  // Twins are entered together, and exactly, so that only careful matching pairs them right; but
  // one twin (in Year 2, the demo's mixed class) was entered by initial, with no UPN: only the user can say which twin.
  const twins = onRoll.filter((pupil) => pupil.twinOf !== null);
  const initialled = (twins.find((pupil) => pupil.yearCode === '2') ?? twins[0])?.id;
  for (const pupil of onRoll) {
    const isTwin = pupil.twinOf !== null;
    if (!isTwin && random.chance(0.35)) continue;
    if (pupil.id === initialled) {
      add({ ...variantOf(random, pupil, 'exact'), upn: null, firstName: pupil.firstName.slice(0, 1) }, pupil.yearCode, pupil);
      continue;
    }
    const variant = isTwin
      ? 'exact'
      : random.pick(['exact', 'exact', 'exact', 'noUpn', 'nickname', 'typo', 'swappedDate', 'noDob', 'swappedNames'] as const);
    add(variantOf(random, pupil, variant), pupil.yearCode, pupil);
  }
  // Leavers nobody deleted: pupils who moved on to secondary school years ago.
  for (let n = 0; n < 6; n++) {
    const source = random.pick(school.pupils);
    add(
      {
        upn: null,
        firstName: source.firstName,
        middleName: null,
        lastName: typo(random, source.lastName),
        dob: `${school.academicYear.startYear - 13}-0${random.int(1, 9)}-1${random.int(0, 9)}`,
        gender: source.gender,
      },
      null,
    );
  }
  // Typed from a class list, names only: a Year 2 pupil whose surname another child shares. Too
  // little to be sure of (May match with no conflict: the user confirms it).
  const surnames = new Map<string, number>();
  for (const pupil of school.pupils) surnames.set(pupil.lastName, (surnames.get(pupil.lastName) ?? 0) + 1);
  const namesOnly = school.pupils.find(
    (pupil) => pupil.yearCode === '2' && pupil.twinOf === null && surnames.get(pupil.lastName)! > 1 && !entered.has(pupil.id),
  );
  if (namesOnly)
    add(
      { upn: null, firstName: namesOnly.firstName, middleName: null, lastName: namesOnly.lastName, dob: null, gender: null },
      null,
    );
  return pupils;
}

export type PupilVariant =
  | 'exact'
  | 'noUpn'
  | 'nickname'
  | 'typo'
  | 'firstTypo'
  | 'swappedDate'
  | 'nearDate'
  | 'noDob'
  | 'swappedNames'
  | 'middleAsFirst'
  | 'newSurname'
  | 'changedSurname';

export function variantOf(
  random: SeededRandom,
  pupil: MisPupil,
  variant: PupilVariant,
): Pick<HubPupil, 'upn' | 'firstName' | 'middleName' | 'lastName' | 'dob' | 'gender'> {
  const exact = {
    upn: pupil.upn,
    firstName: pupil.firstName,
    middleName: pupil.middleName,
    lastName: pupil.lastName,
    dob: pupil.dob,
    gender: pupil.gender,
  };
  switch (variant) {
    case 'exact':
      return exact;
    case 'noUpn':
      return { ...exact, upn: null, middleName: null };
    case 'nickname': {
      const short = shortFormsOf(pupil.firstName)[0];
      return { ...exact, upn: null, firstName: short ? capitalise(short) : pupil.firstName.toLowerCase() };
    }
    case 'typo':
      return { ...exact, upn: null, lastName: typo(random, pupil.lastName) };
    case 'swappedDate': {
      const [year, month, day] = pupil.dob.split('-');
      const swapped = Number(day) <= 12 && day !== month ? `${year}-${day}-${month}` : pupil.dob;
      return { ...exact, upn: null, dob: swapped };
    }
    case 'firstTypo':
      return { ...exact, upn: null, firstName: typo(random, pupil.firstName) };
    case 'nearDate':
      // Keyed a day out (a slip, or a birth just before or after midnight).
      return { ...exact, upn: null, dob: shiftDate(pupil.dob, random.chance(0.5) ? 1 : -1) };
    case 'noDob':
      return { ...exact, upn: null, dob: null, gender: null };
    case 'changedSurname':
      // A step-parent's surname, or the MIS updated after the Hub record was typed.
      return { ...exact, upn: null, lastName: random.pick(['Harrison', 'Patel', 'Nowak', 'Okafor', 'Begum', 'Walsh']) };
    case 'swappedNames':
      return { ...exact, upn: null, firstName: pupil.lastName, lastName: pupil.firstName };
    case 'middleAsFirst':
      return pupil.middleName ? { ...exact, upn: null, firstName: pupil.middleName, middleName: null } : { ...exact, upn: null };
    case 'newSurname':
      // Entered under a parent's other surname: double-barrelled in the MIS, one part in the Hub.
      return {
        ...exact,
        upn: null,
        lastName: random.chance(0.5)
          ? `${pupil.lastName}-${random.pick(['Smith', 'Begum', 'Nowak', 'Okafor'])}`
          : pupil.lastName.split(/[- ]/)[0]!,
      };
  }
}

function shiftDate(date: string, days: number): string {
  const shifted = new Date(`${date}T00:00:00Z`);
  shifted.setUTCDate(shifted.getUTCDate() + days);
  return shifted.toISOString().slice(0, 10);
}

/** A single plausible keying slip: a dropped, doubled or swapped letter. */
export function typo(random: SeededRandom, word: string): string {
  if (word.length < 4) return word + word.slice(-1);
  const at = random.int(1, word.length - 2);
  switch (random.int(0, 2)) {
    case 0:
      return word.slice(0, at) + word.slice(at + 1);
    case 1:
      return word.slice(0, at) + word[at] + word.slice(at);
    default:
      return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  }
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
