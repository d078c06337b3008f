import * as z from 'zod';
import {
  academicYearSchema,
  registrationGroupSchema,
  schoolSchema,
  staffMemberSchema,
  studentSchema,
  subjectSchema,
  teachingGroupSchema,
  yearGroupSchema,
} from '../assembly/schemas';
import { isCalendarDate } from '../domain/calendarDate';

/**
 * SCHOOL.json: what the Assembly stand-in serves, one key per Assembly v1.1 path without the
 * leading slash (`students/left` as `students_left`). Each key holds what Assembly returns for
 * that path. Records keep every field they are given (Assembly sends many we do not read);
 * the fields the app reads are checked here, and group memberships must name real people.
 * Documented in docs/own-school.md.
 */
const id = z.number({ error: 'expected the record’s Assembly id, a whole number' }).int().positive();
const calendarDate = z.string().refine(isCalendarDate, 'expected a date as YYYY-MM-DD').nullish();
/** Assembly sends dates and times as ISO 8601 (`2026-09-01T00:00:00.000Z`); a bare date is accepted. */
const dateTime = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO 8601 date or date-time')
  .nullish();
const memberIds = z
  .array(id)
  .nullish()
  .transform((value) => value ?? []);

// Every field the app's own client reads is checked as the client checks it (so nothing served can
// break a sync), with stricter ids, dates and memberships on top.
const staffMember = z.looseObject({
  ...staffMemberSchema.shape,
  id,
  start_date: dateTime,
  end_date: dateTime,
});
const student = z.looseObject({
  ...studentSchema.shape,
  id,
  dob: calendarDate,
  start_date: dateTime,
  end_date: dateTime,
  demographics: z.looseObject(studentSchema.shape.demographics.unwrap().unwrap().shape).nullish(),
});
const group = {
  id,
  start_date: dateTime,
  end_date: dateTime,
  supervisor_ids: memberIds,
  student_ids: memberIds,
};
const list = <T extends z.ZodType>(record: T) => z.array(record).default([]);

/** Every key of SCHOOL.json that holds a list of records. */
export const SCHOOL_FILE_COLLECTIONS = [
  'academic_years',
  'year_groups',
  'registration_groups',
  'teaching_groups',
  'staff_members',
  'staff_members_left',
  'students',
  'students_left',
] as const;

export const schoolFileSchema = z
  .strictObject({
    school: z.looseObject(
      { ...schoolSchema.shape, name: z.string({ error: 'the school needs a name' }).min(1, 'the school needs a name') },
      { error: 'expected the object Assembly returns for /school' },
    ),
    academic_years: list(z.looseObject({ ...academicYearSchema.shape, id, start_date: dateTime, end_date: dateTime })),
    year_groups: list(z.looseObject({ ...yearGroupSchema.shape, ...group })),
    registration_groups: list(z.looseObject({ ...registrationGroupSchema.shape, ...group })),
    teaching_groups: list(
      z.looseObject({
        ...teachingGroupSchema.shape,
        ...group,
        academic_year_id: id.nullish(),
        subject: subjectSchema.extend({ id }).nullish(),
      }),
    ),
    staff_members: list(staffMember),
    staff_members_left: list(staffMember),
    students: list(student),
    students_left: list(student),
  })
  .superRefine((file, context) => {
    const problem = (path: PropertyKey[], message: string) => context.addIssue({ code: 'custom', path, message });
    for (const key of SCHOOL_FILE_COLLECTIONS) {
      const seen = new Map<number, number>();
      file[key].forEach((record, index) => {
        const first = seen.get(record.id);
        if (first !== undefined) problem([key, index, 'id'], `id ${record.id} is used twice (first at ${key}[${first}])`);
        else seen.set(record.id, index);
      });
    }
    const current = new Set(file.students.map((record) => record.id));
    for (const left of file.students_left)
      if (current.has(left.id)) problem(['students_left'], `student ${left.id} is both on roll and a leaver`);
    const staff = new Set(file.staff_members.map((record) => record.id));
    for (const left of file.staff_members_left)
      if (staff.has(left.id)) problem(['staff_members_left'], `staff member ${left.id} both works here and has left`);
    for (const key of ['year_groups', 'registration_groups', 'teaching_groups'] as const)
      file[key].forEach((record, index) => {
        record.student_ids.forEach((studentId, at) => {
          if (!current.has(studentId)) problem([key, index, 'student_ids', at], `no student with id ${studentId} in students`);
        });
        record.supervisor_ids.forEach((staffId, at) => {
          if (!staff.has(staffId))
            problem([key, index, 'supervisor_ids', at], `no staff member with id ${staffId} in staff_members`);
        });
      });
  });

export type SchoolFile = z.output<typeof schoolFileSchema>;
/** What a writer supplies (groups' id lists may be absent). */
export type SchoolFileInput = z.input<typeof schoolFileSchema>;
export type SchoolFileCollection = Exclude<keyof SchoolFile, 'school'>;
export type SchoolFileRecord = SchoolFile[SchoolFileCollection][number];
