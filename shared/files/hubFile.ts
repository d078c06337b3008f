import * as z from 'zod';
import { usernameAllocator } from '../domain/usernames';
import { isCalendarDate } from '../domain/calendarDate';
import {
  HAND_ENTERED,
  type HubClassInput,
  type HubPupilInput,
  type HubTeacherInput,
  type HubYearGroupInput,
} from '../domain/records';
import type { SchoolFile } from './schoolFile';

/**
 * HUB.json: what a centre's Admin Hub holds before a sync, in the fields of the match CLI's
 * CSV files. Any field but `id` may be null or absent, except the names the Hub itself needs
 * (a user's first and last name, a year group's or class's name). `mis_id` only where an
 * earlier sync linked the record: it holds the MIS record's Assembly id. Documented in
 * docs/own-school.md.
 */
const hubId = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform(String)
  .pipe(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected an id of 1-64 letters, digits, dots, dashes or underscores'));
const text = z
  .string()
  .nullish()
  .transform((value) => (value?.trim() ? value.trim() : null));
const name = (what: string) =>
  z
    .string({ error: `the Hub needs ${what}` })
    .trim()
    .min(1, `the Hub needs ${what}`);
const misId = z
  .union([z.number().int().positive(), z.string().regex(/^\d+$/, 'expected an Assembly id (digits)')])
  .nullish()
  .transform((value) => (value === null || value === undefined ? null : String(value)));

export const hubFileSchema = z
  .strictObject({
    teachers: z
      .array(
        z.strictObject({
          id: hubId,
          title: text,
          first_name: name('a first name'),
          last_name: name('a last name'),
          email: z
            .email('expected an email address')
            .nullish()
            .transform((value) => value ?? null),
          mis_id: misId,
        }),
      )
      .default([]),
    year_groups: z.array(z.strictObject({ id: hubId, code: text, name: name('a year group name'), mis_id: misId })).default([]),
    classes: z
      .array(z.strictObject({ id: hubId, name: name('a class name'), year_code: text, description: text, mis_id: misId }))
      .default([]),
    pupils: z
      .array(
        z.strictObject({
          id: hubId,
          upn: text,
          first_name: name('a first name'),
          middle_name: text,
          last_name: name('a last name'),
          dob: z
            .string()
            .refine(isCalendarDate, 'expected a date as YYYY-MM-DD')
            .nullish()
            .transform((value) => value ?? null),
          gender: z
            .string()
            .transform((value) => value.trim().toUpperCase())
            .pipe(z.enum(['F', 'M'], 'expected F or M'))
            .nullish()
            .transform((value) => value ?? null),
          year_code: text,
          classes: z
            .array(hubId)
            .nullish()
            .transform((value) => value ?? []),
          mis_id: misId,
        }),
      )
      .default([]),
  })
  .superRefine((file, context) => {
    const problem = (path: PropertyKey[], message: string) => context.addIssue({ code: 'custom', path, message });
    for (const key of ['teachers', 'year_groups', 'classes', 'pupils'] as const) {
      const ids = new Map<string, number>();
      const links = new Map<string, number>();
      file[key].forEach((record, index) => {
        const first = ids.get(record.id);
        if (first !== undefined) problem([key, index, 'id'], `id "${record.id}" is used twice (first at ${key}[${first}])`);
        else ids.set(record.id, index);
        if (!record.mis_id) return;
        const linked = links.get(record.mis_id);
        if (linked !== undefined)
          problem([key, index, 'mis_id'], `MIS record ${record.mis_id} is already linked to ${key}[${linked}]`);
        else links.set(record.mis_id, index);
      });
    }
    const codes = new Set(file.year_groups.map((yearGroup) => yearGroup.code).filter(Boolean));
    const classIds = new Set(file.classes.map((hubClass) => hubClass.id));
    const checkYear = (path: PropertyKey[], code: string | null) => {
      if (code && !codes.has(code)) problem(path, `no year group in year_groups has code "${code}"`);
    };
    file.classes.forEach((hubClass, index) => checkYear(['classes', index, 'year_code'], hubClass.year_code));
    file.pupils.forEach((pupil, index) => {
      checkYear(['pupils', index, 'year_code'], pupil.year_code);
      pupil.classes.forEach((classId, at) => {
        if (!classIds.has(classId)) problem(['pupils', index, 'classes', at], `no class with id "${classId}" in classes`);
      });
    });
  });

export type HubFile = z.output<typeof hubFileSchema>;
export type HubFileInput = z.input<typeof hubFileSchema>;

/** Where each kind of HUB.json record's `mis_id` must point in SCHOOL.json. */
const LINKED_TO = {
  teachers: ['staff_members', 'staff_members_left'],
  year_groups: ['year_groups'],
  classes: ['teaching_groups', 'registration_groups'],
  pupils: ['students', 'students_left'],
} as const;

/** Problems (by JSON path in HUB.json) where a `mis_id` names no record of SCHOOL.json. */
export function unknownLinks(hub: HubFile, school: SchoolFile): string[] {
  const problems: string[] = [];
  for (const [key, targets] of Object.entries(LINKED_TO) as [keyof typeof LINKED_TO, readonly (keyof SchoolFile)[]][]) {
    const known = new Set(targets.flatMap((target) => (school[target] as { id: number }[]).map((record) => String(record.id))));
    hub[key].forEach((record, index) => {
      if (record.mis_id && !known.has(record.mis_id))
        problems.push(`${key}[${index}].mis_id: no record with id ${record.mis_id} in SCHOOL.json's ${targets.join(' or ')}`);
    });
  }
  return problems;
}

export interface HubRecords {
  teachers: HubTeacherInput[];
  yearGroups: HubYearGroupInput[];
  classes: HubClassInput[];
  pupils: HubPupilInput[];
}

/** The centre's Hub records from HUB.json: linked where `mis_id` says so, hand-entered otherwise. */
export function hubRecordsFrom(file: HubFile, centreId: string, createdAt: string): HubRecords {
  const link = (mis: string | null) =>
    mis ? { misId: mis, syncStatus: 'synced' as const } : { misId: null, syncStatus: 'none' as const };
  const sync = (mis: string | null) => ({ ...HAND_ENTERED, ...link(mis) });
  const yearGroupId = (code: string | null) => file.year_groups.find((yearGroup) => yearGroup.code === code)?.id ?? null;
  const usernameFor = usernameAllocator();
  return {
    teachers: file.teachers.map((teacher) => ({
      teacherId: teacher.id,
      centreId,
      title: teacher.title,
      firstName: teacher.first_name,
      lastName: teacher.last_name,
      email: teacher.email,
      ...sync(teacher.mis_id),
      createdAt,
      updatedAt: createdAt,
    })),
    yearGroups: file.year_groups.map((yearGroup) => ({
      yearGroupId: yearGroup.id,
      centreId,
      name: yearGroup.name,
      yearCode: yearGroup.code,
      intakeYear: null,
      ...sync(yearGroup.mis_id),
    })),
    classes: file.classes.map((hubClass) => ({
      classId: hubClass.id,
      centreId,
      name: hubClass.name,
      description: hubClass.description,
      yearGroupId: yearGroupId(hubClass.year_code),
      ...sync(hubClass.mis_id),
    })),
    pupils: file.pupils.map((pupil) => ({
      pupilId: pupil.id,
      centreId,
      upn: pupil.upn,
      firstName: pupil.first_name,
      middleName: pupil.middle_name,
      lastName: pupil.last_name,
      dob: pupil.dob,
      gender: pupil.gender,
      pupilPremium: null,
      intakeYear: null,
      homeLanguage: null,
      username: usernameFor(pupil.first_name, pupil.last_name),
      yearGroupId: yearGroupId(pupil.year_code),
      classIds: pupil.classes,
      ...sync(pupil.mis_id),
      createdAt,
      updatedAt: createdAt,
    })),
  };
}
