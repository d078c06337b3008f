import { PRIMARY_YEARS, type MisSchool } from '../../../shared/demo/school';
import type { SchoolFileInput } from '../../../shared/files/schoolFile';

/** What the stand-in serves besides the school's own data: MARK's assessment in Assembly. */
export interface AssessmentCatalogue {
  subjects: Record<string, unknown>[];
  assessments: Record<string, unknown>[];
  gradeSets: Map<number, Record<string, unknown>>;
  facets: Record<string, unknown>[];
  assessmentPoints: Record<string, unknown>[];
}

const at = (date: string) => `${date}T00:00:00.000Z`;

const SUBJECTS = [
  { object: 'subject', id: 1, code: 'MA', name: 'Mathematics' },
  { object: 'subject', id: 2, code: 'EN', name: 'English' },
];

/** The generated school as SCHOOL.json: what Assembly v1.1 returns for each path. */
export function schoolFileFor(school: MisSchool): SchoolFileInput {
  const { academicYear } = school;
  return {
    school: {
      object: 'school',
      name: school.name,
      slug: school.name.toLowerCase().replace(/[^a-z]+/g, '-'),
      urn: school.urn,
      mis_provider: 'SIMS',
      la_code: school.laCode,
      la_name: 'Local Authority',
      establishment_number: school.establishmentNumber,
      establishment_type: 'Community school',
      phase: 'Primary',
      street: '1 School Lane',
      town: 'Anytown',
      postcode: 'AN1 1AA',
      head_teacher: (() => {
        const head = school.staff.find((member) => member.jobTitle === 'Headteacher');
        return head ? `${head.title} ${head.firstName} ${head.lastName}` : null;
      })(),
    },
    academic_years: [
      {
        object: 'academic_year',
        id: academicYear.id,
        name: academicYear.name,
        start_date: at(academicYear.startDate),
        end_date: at(academicYear.endDate),
      },
    ],
    students: school.pupils.map((pupil) => ({
      object: 'student',
      id: pupil.id,
      year_code: pupil.yearCode,
      upn: pupil.upn,
      former_upn: null,
      mis_id: pupil.misId,
      first_name: pupil.firstName,
      legal_first_name: pupil.legalFirstName,
      middle_name: pupil.middleName,
      last_name: pupil.lastName,
      legal_last_name: pupil.lastName,
      dob: pupil.dob,
      start_date: at(academicYear.startDate),
      end_date: null,
      demographics: { object: 'student_demographics', gender: pupil.gender, is_pp: pupil.pupilPremium },
    })),
    students_left: [],
    staff_members: school.staff.map((member) => ({
      object: 'staff_member',
      id: member.id,
      mis_id: member.misId,
      staff_code: member.staffCode,
      title: member.title,
      salutation: `${member.title} ${member.lastName}`,
      first_name: member.firstName,
      legal_first_name: member.legalFirstName,
      middle_name: member.middleName,
      last_name: member.lastName,
      legal_last_name: member.lastName,
      email: member.email,
      emails: member.email ? [{ object: 'email', id: member.id, email: member.email, type: 'Work', is_primary: true }] : [],
      is_teaching_staff: member.isTeachingStaff,
      start_date: at('2015-09-01'),
      end_date: null,
    })),
    staff_members_left: [],
    year_groups: school.yearGroups.map((yearGroup) => ({
      object: 'year_group',
      id: yearGroup.id,
      code: yearGroup.code,
      name: yearGroup.name,
      start_date: at(academicYear.startDate),
      end_date: at(academicYear.endDate),
      supervisor_ids: yearGroup.supervisorIds,
      student_ids: yearGroup.studentIds,
    })),
    registration_groups: school.registrationGroups.map((group) => ({
      object: 'registration_group',
      id: group.id,
      name: group.name,
      start_date: at(academicYear.startDate),
      end_date: at(academicYear.endDate),
      supervisor_ids: group.supervisorIds,
      student_ids: group.studentIds,
    })),
    teaching_groups: school.teachingGroups.map((group) => ({
      object: 'teaching_group',
      id: group.id,
      name: group.name,
      start_date: at(academicYear.startDate),
      end_date: at(academicYear.endDate),
      academic_year_id: academicYear.id,
      supervisor_ids: group.supervisorIds,
      student_ids: group.studentIds,
      subject: SUBJECTS.find((subject) => subject.code === group.subjectCode) ?? null,
      mis_level: null,
    })),
  };
}

/** Subjects come from the school's teaching groups (Mathematics and English when they name none). */
export function assessmentCatalogue(teachingGroups: readonly Record<string, unknown>[]): AssessmentCatalogue {
  const subjects = new Map<number, Record<string, unknown>>();
  for (const group of teachingGroups) {
    const subject = group.subject as { id?: unknown } | null | undefined;
    if (subject && typeof subject.id === 'number') subjects.set(subject.id, { object: 'subject', ...subject });
  }
  return {
    subjects: subjects.size ? [...subjects.values()] : SUBJECTS,
    assessments: [
      {
        object: 'assessment',
        id: 101,
        name: 'MARK Standardised Score',
        family_id: 10,
        family_name: 'Rising Stars',
        mis_assessments: ['MARK'],
      },
    ],
    gradeSets: new Map([
      [
        101,
        {
          object: 'grade_set',
          id: 201,
          name: 'Standardised score',
          grades: Array.from({ length: 71 }, (_, index) => ({
            object: 'grade',
            id: 1000 + index,
            name: String(70 + index),
            value: 70 + index,
          })),
        },
      ],
    ]),
    facets: ['achieved', 'target', 'prediction', 'baseline'].map((name, index) => ({ object: 'facet', id: index + 1, name })),
    assessmentPoints: PRIMARY_YEARS.filter((year) => year.code !== 'N2').flatMap((year, index) =>
      ['Autumn', 'Spring', 'Summer'].map((term, termIndex) => ({
        object: 'assessment_point',
        rank: 100 + index * 3 + termIndex,
        name: `${year.name} ${term}`,
        type: 'Term',
        year_code: year.code,
      })),
    ),
  };
}
