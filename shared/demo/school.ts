import { asciiLetters } from '../domain/usernames';
import { makeUpn } from '../domain/upn';
import { classNames, communities, schoolNames, staffTitles, type Community } from './names';
import { SeededRandom } from './random';

/**
 * One deterministic generator of UK primary schools as their MIS knows them. It feeds the
 * demo seed, the tests, the Assembly stand-in and the benchmarks, so they all see the same
 * kinds of school: Nursery to Year 6, a mixed-year class, twins, common names, and teaching
 * and non-teaching staff.
 */

export type Gender = 'F' | 'M';

export interface MisStaffMember {
  id: number;
  misId: string;
  staffCode: string;
  title: string;
  firstName: string;
  legalFirstName: string;
  middleName: string | null;
  lastName: string;
  email: string | null;
  gender: Gender;
  isTeachingStaff: boolean;
  jobTitle: string;
}

export interface MisPupil {
  id: number;
  upn: string;
  misId: string;
  firstName: string;
  legalFirstName: string;
  middleName: string | null;
  lastName: string;
  dob: string;
  gender: Gender;
  yearCode: string;
  pupilPremium: boolean;
  registrationGroupId: number;
  /** Set when the pupil is one of a pair of twins: the other twin's id. */
  twinOf: number | null;
}

export interface MisYearGroup {
  id: number;
  code: string;
  name: string;
  studentIds: number[];
  supervisorIds: number[];
}

export interface MisRegistrationGroup {
  id: number;
  name: string;
  yearCodes: string[];
  studentIds: number[];
  supervisorIds: number[];
}

export interface MisTeachingGroup {
  id: number;
  name: string;
  subjectCode: string;
  subjectName: string;
  yearCode: string;
  studentIds: number[];
  supervisorIds: number[];
}

export interface MisSchool {
  name: string;
  urn: string;
  laCode: number;
  establishmentNumber: number;
  emailDomain: string;
  academicYear: { id: number; name: string; startDate: string; endDate: string; startYear: number };
  staff: MisStaffMember[];
  pupils: MisPupil[];
  yearGroups: MisYearGroup[];
  registrationGroups: MisRegistrationGroup[];
  teachingGroups: MisTeachingGroup[];
}

export interface SchoolOptions {
  seed: string | number;
  /** Pupils on roll across Nursery to Year 6 (approximate: classes are filled evenly). */
  pupils?: number;
  /** Calendar year in which the current academic year starts. */
  academicYearStart?: number;
}

/** Nursery (N2), Reception and Years 1-6. `offset` is years after Reception. */
export const PRIMARY_YEARS = [
  { code: 'N2', name: 'Nursery', offset: -1 },
  { code: 'R', name: 'Reception', offset: 0 },
  { code: '1', name: 'Year 1', offset: 1 },
  { code: '2', name: 'Year 2', offset: 2 },
  { code: '3', name: 'Year 3', offset: 3 },
  { code: '4', name: 'Year 4', offset: 4 },
  { code: '5', name: 'Year 5', offset: 5 },
  { code: '6', name: 'Year 6', offset: 6 },
] as const;

const CLASS_SIZE = 30;
const TWIN_RATE = 0.03;

export function generateSchool(options: SchoolOptions): MisSchool {
  const random = new SeededRandom(`school:${options.seed}`);
  const startYear = options.academicYearStart ?? 2026;
  const pupilTarget = Math.max(PRIMARY_YEARS.length, options.pupils ?? 224);
  const name = random.pick(schoolNames);
  const laCode = random.int(201, 938);
  const establishmentNumber = random.int(2000, 2999);
  // "St Mary’s CE Primary School" → stmarys.sch.uk
  const distinctive = name.split(' ').filter((word) => !/^(CE|Primary|School|Community|Academy)$/.test(word));
  const emailDomain = `${asciiLetters(distinctive.join(''))}.sch.uk`;

  const perYear = Math.ceil(pupilTarget / PRIMARY_YEARS.length);
  const classesPerYear = Math.max(1, Math.round(perYear / CLASS_SIZE));
  const classPool = random.shuffle(classNames);
  let nextClassName = 0;
  const takeClassName = () => {
    const base = classPool[nextClassName % classPool.length]!;
    const round = Math.floor(nextClassName / classPool.length);
    nextClassName++;
    return round === 0 ? base : `${base} ${round + 1}`;
  };

  let nextId = 1000;
  const id = () => nextId++;
  const registrationGroups: MisRegistrationGroup[] = [];
  const pupils: MisPupil[] = [];
  let upnSerial = random.int(1, 200);

  // Years 1 and 2 share a mixed-year class ("Swans") in every school, as many small primaries do.
  const mixed: MisRegistrationGroup = { id: id(), name: 'Swans', yearCodes: ['1', '2'], studentIds: [], supervisorIds: [] };
  registrationGroups.push(mixed);

  for (const year of PRIMARY_YEARS) {
    const groups: MisRegistrationGroup[] = [];
    for (let c = 0; c < classesPerYear; c++) {
      const className =
        year.code === 'N2' ? `Nursery ${takeClassName()}` : `${year.code === 'R' ? 'R' : year.code} ${takeClassName()}`;
      groups.push({ id: id(), name: className, yearCodes: [year.code], studentIds: [], supervisorIds: [] });
    }
    registrationGroups.push(...groups);
    const mixedShare = year.code === '1' || year.code === '2' ? Math.floor(perYear / 4) : 0;
    let placed = 0;
    while (placed < perYear) {
      const community = random.weighted(communities);
      const gender: Gender = random.chance(0.5) ? 'F' : 'M';
      const lastName = pickSurname(random, community);
      const dob = birthDate(random, startYear, year.offset);
      const inMixed = placed < mixedShare;
      const group = inMixed ? mixed : groups[placed % groups.length]!;
      const makePupil = (g: Gender, twinOf: number | null, siblingName?: string): MisPupil => {
        let legalFirstName = pickFirstName(random, community, g);
        // Parents do not give twins the same first name.
        while (legalFirstName === siblingName) legalFirstName = pickFirstName(random, random.weighted(communities), g);
        return {
          id: id(),
          // A school issues at most 1,000 UPNs a year; beyond that (benchmark sizes) pupils arrive
          // with UPNs from other establishments, so every UPN stays unique.
          upn: makeUpn(
            laCode,
            (establishmentNumber + Math.floor(upnSerial / 1000)) % 10000,
            startYear - 4 - year.offset + (year.code === 'N2' ? 0 : 1),
            upnSerial++ % 1000,
          ),
          misId: String(random.int(100000, 999999)),
          firstName: legalFirstName,
          legalFirstName,
          middleName: random.chance(0.55) ? pickFirstName(random, random.weighted(communities), g) : null,
          lastName,
          dob,
          gender: g,
          yearCode: year.code,
          pupilPremium: random.chance(0.22),
          registrationGroupId: group.id,
          twinOf,
        };
      };
      const pupil = makePupil(gender, null);
      pupils.push(pupil);
      group.studentIds.push(pupil.id);
      placed++;
      if (placed < perYear && random.chance(TWIN_RATE)) {
        // Twins: same surname, same date of birth, same year; often the same gender.
        const twin = makePupil(random.chance(0.6) ? gender : other(gender), pupil.id, pupil.firstName);
        pupil.twinOf = twin.id;
        pupils.push(twin);
        group.studentIds.push(twin.id);
        placed++;
      }
    }
  }
  addCommonNamePupils(random, pupils);

  const staff = generateStaff(random, id, registrationGroups.length, emailDomain);
  const classTeachers = staff.filter((member) => member.jobTitle === 'Class Teacher');
  registrationGroups.forEach((group, index) => {
    const teacher = classTeachers[index % classTeachers.length];
    if (teacher) group.supervisorIds.push(teacher.id);
  });

  const yearGroups: MisYearGroup[] = PRIMARY_YEARS.map((year) => ({
    id: id(),
    code: year.code,
    name: year.name,
    studentIds: pupils.filter((pupil) => pupil.yearCode === year.code).map((pupil) => pupil.id),
    supervisorIds: [],
  }));

  const teachingGroups: MisTeachingGroup[] = [];
  for (const year of PRIMARY_YEARS) {
    if (year.code === 'N2') continue;
    const members = pupils.filter((pupil) => pupil.yearCode === year.code).map((pupil) => pupil.id);
    for (const subject of [
      { code: 'MA', name: 'Mathematics' },
      { code: 'EN', name: 'English' },
    ]) {
      teachingGroups.push({
        id: id(),
        name: `${year.code === 'R' ? 'R' : `Y${year.code}`} ${subject.code}`,
        subjectCode: subject.code,
        subjectName: subject.name,
        yearCode: year.code,
        studentIds: members,
        supervisorIds: classTeachers.length ? [classTeachers[teachingGroups.length % classTeachers.length]!.id] : [],
      });
    }
  }

  return {
    name,
    urn: String(100000 + random.int(0, 49999)),
    laCode,
    establishmentNumber,
    emailDomain,
    academicYear: {
      id: 20 + (startYear % 100),
      name: `${startYear}/${startYear + 1}`,
      startDate: `${startYear}-09-01`,
      endDate: `${startYear + 1}-08-31`,
      startYear,
    },
    staff,
    pupils,
    yearGroups,
    registrationGroups,
    teachingGroups,
  };
}

/** A child in year `offset` (Reception = 0) was born between 1 Sep and 31 Aug five years before. */
function birthDate(random: SeededRandom, startYear: number, offset: number): string {
  const from = Date.UTC(startYear - 5 - offset, 8, 1);
  const to = Date.UTC(startYear - 4 - offset, 7, 31);
  const day = new Date(from + Math.floor(random.next() * ((to - from) / 86_400_000 + 1)) * 86_400_000);
  return day.toISOString().slice(0, 10);
}

function pickFirstName(random: SeededRandom, community: Community, gender: Gender): string {
  const names = community.tail && random.chance(community.tail.firstNameShare) ? community.tail : community;
  return random.pick(gender === 'F' ? names.girls : names.boys);
}

function pickSurname(random: SeededRandom, community: Community): string {
  const tail = community.tail;
  if (!tail || !random.chance(tail.surnameShare)) return random.pick(community.surnames);
  if (tail.surnameStarts && tail.surnameEnds) return random.pick(tail.surnameStarts) + random.pick(tail.surnameEnds);
  return random.pick(tail.surnames ?? community.surnames);
}

function other(gender: Gender): Gender {
  return gender === 'F' ? 'M' : 'F';
}

/** Very common names collide in real schools: make sure a few do here too. */
function addCommonNamePupils(random: SeededRandom, pupils: MisPupil[]): void {
  const commonPairs: [string, string, Gender][] = [
    ['Mohammed', 'Khan', 'M'],
    ['Oliver', 'Smith', 'M'],
    ['Amelia', 'Jones', 'F'],
  ];
  const candidates = pupils.filter((pupil) => pupil.twinOf === null && pupil.yearCode !== 'N2');
  for (const [firstName, lastName, gender] of commonPairs) {
    for (let copy = 0; copy < 2 && candidates.length > 0; copy++) {
      const pupil = candidates.splice(random.int(0, candidates.length - 1), 1)[0]!;
      pupil.firstName = firstName;
      pupil.legalFirstName = firstName;
      pupil.lastName = lastName;
      pupil.gender = gender;
    }
  }
}

function generateStaff(random: SeededRandom, id: () => number, classCount: number, emailDomain: string): MisStaffMember[] {
  const roles: { jobTitle: string; teaching: boolean; count: number }[] = [
    { jobTitle: 'Headteacher', teaching: true, count: 1 },
    { jobTitle: 'Deputy Headteacher', teaching: true, count: 1 },
    { jobTitle: 'Class Teacher', teaching: true, count: classCount },
    { jobTitle: 'SENCo', teaching: true, count: 1 },
    { jobTitle: 'Teaching Assistant', teaching: false, count: Math.max(2, Math.round(classCount * 0.8)) },
    { jobTitle: 'School Business Manager', teaching: false, count: 1 },
    { jobTitle: 'Office Administrator', teaching: false, count: 2 },
    { jobTitle: 'Site Manager', teaching: false, count: 1 },
    { jobTitle: 'Midday Supervisor', teaching: false, count: 2 },
  ];
  const staff: MisStaffMember[] = [];
  const usedEmails = new Set<string>();
  let code = 0;
  for (const role of roles) {
    for (let n = 0; n < role.count; n++) {
      const community = random.weighted(communities);
      const gender: Gender = random.chance(0.78) ? 'F' : 'M';
      const legalFirstName = pickFirstName(random, community, gender);
      const lastName = pickSurname(random, community);
      const local = `${asciiLetters(legalFirstName)[0]}${asciiLetters(lastName)}`;
      let email: string | null = `${local}@${emailDomain}`;
      for (let k = 2; usedEmails.has(email); k++) email = `${local}${k}@${emailDomain}`;
      usedEmails.add(email);
      // Not every MIS holds an email for every member of staff.
      if (random.chance(0.12)) email = null;
      const staffId = id();
      staff.push({
        id: staffId,
        misId: String(5000 + staffId),
        staffCode: (asciiLetters(legalFirstName)[0]! + asciiLetters(lastName).slice(0, 2)).toUpperCase() + String(code++ % 10),
        title: random.pick(gender === 'F' ? staffTitles.female : staffTitles.male),
        firstName: legalFirstName,
        legalFirstName,
        middleName: random.chance(0.3) ? pickFirstName(random, community, gender) : null,
        lastName,
        email,
        gender,
        isTeachingStaff: role.teaching,
        jobTitle: role.jobTitle,
      });
    }
  }
  return staff;
}

/** Lower-case ASCII letters only: "Siobhán O'Brien" → "siobhanobrien". */
export { asciiLetters };
