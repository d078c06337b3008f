import * as z from 'zod';

/**
 * Assembly Platform API v1.1 shapes (../shared/assembly-api.md §4-5). Every field may be null
 * or absent when the school's MIS does not supply it, so every field is nullish here; unknown
 * fields are dropped.
 */
const id = z.number().int();
const text = z.string().nullish();
const ids = z
  .array(id)
  .nullish()
  .transform((value) => value ?? []);

export const tokenResponseSchema = z.object({
  access_token: z.string(),
  refresh_token: z.string().nullish(),
  token_type: z.string().nullish(),
  level: z.enum(['school', 'app']).nullish(),
  expires_in: z.number().nullish(),
  school_id: z.number().nullish(),
  scopes: z.array(z.string()).nullish(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

export const schoolSchema = z.object({
  name: text,
  slug: text,
  urn: z.union([z.string(), z.number()]).nullish(),
  mis_provider: text,
  la_code: z.union([z.string(), z.number()]).nullish(),
  establishment_number: z.union([z.string(), z.number()]).nullish(),
  phase: text,
  town: text,
  postcode: text,
  head_teacher: text,
});
export type AssemblySchool = z.infer<typeof schoolSchema>;

export const schoolStatusSchema = z.object({
  last_changes_at: text,
  last_sync_at: text,
  last_sync_status: z.enum(['success', 'failure', 'no_changes']).nullish(),
});
export type AssemblySchoolStatus = z.infer<typeof schoolStatusSchema>;

export const academicYearSchema = z.object({ id, name: text, start_date: text, end_date: text });
export type AssemblyAcademicYear = z.infer<typeof academicYearSchema>;

export const studentSchema = z.object({
  id,
  year_code: text,
  upn: text,
  mis_id: text,
  first_name: text,
  legal_first_name: text,
  middle_name: text,
  last_name: text,
  legal_last_name: text,
  former_last_name: text,
  dob: text,
  start_date: text,
  end_date: text,
  demographics: z.object({ gender: text, is_pp: z.boolean().nullish() }).nullish(),
});
export type AssemblyStudent = z.infer<typeof studentSchema>;

export const staffMemberSchema = z.object({
  id,
  mis_id: text,
  staff_code: text,
  title: text,
  first_name: text,
  legal_first_name: text,
  middle_name: text,
  last_name: text,
  legal_last_name: text,
  email: text,
  emails: z.array(z.object({ email: text, is_primary: z.boolean().nullish() })).nullish(),
  is_teaching_staff: z.boolean().nullish(),
  start_date: text,
  end_date: text,
});
export type AssemblyStaffMember = z.infer<typeof staffMemberSchema>;

export const yearGroupSchema = z.object({
  id,
  code: text,
  name: text,
  start_date: text,
  end_date: text,
  supervisor_ids: ids,
  student_ids: ids,
});
export type AssemblyYearGroup = z.infer<typeof yearGroupSchema>;

export const registrationGroupSchema = z.object({
  id,
  name: text,
  start_date: text,
  end_date: text,
  supervisor_ids: ids,
  student_ids: ids,
});
export type AssemblyRegistrationGroup = z.infer<typeof registrationGroupSchema>;

export const subjectSchema = z.object({ id, code: text, name: text });
export type AssemblySubject = z.infer<typeof subjectSchema>;

export const teachingGroupSchema = z.object({
  id,
  name: text,
  start_date: text,
  end_date: text,
  academic_year_id: id.nullish(),
  supervisor_ids: ids,
  student_ids: ids,
  subject: subjectSchema.nullish(),
  mis_level: text,
});
export type AssemblyTeachingGroup = z.infer<typeof teachingGroupSchema>;

export const assessmentSchema = z.object({
  id,
  name: text,
  family_id: id.nullish(),
  family_name: text,
  mis_assessments: z.array(z.string()).nullish(),
});
export const gradeSetSchema = z.object({
  id,
  name: text,
  grades: z.array(z.object({ id, name: text, value: z.number().nullish() })).nullish(),
});
export const facetSchema = z.object({ id, name: text });
export const assessmentPointSchema = z.object({ rank: id, name: text, type: text, year_code: text });
export const resultSchema = z.object({
  id,
  student_id: id,
  subject_id: id.nullish(),
  assessment_id: id.nullish(),
  assessment_point_rank: id.nullish(),
  facet_id: id.nullish(),
  grade_id: id.nullish(),
  result_date: text,
  created_at: text,
  updated_at: text,
});
export type AssemblyResult = z.infer<typeof resultSchema>;

export const errorBodySchema = z
  .object({
    error: z.string().nullish(),
    message: z.string().nullish(),
    data: z.object({ count: z.number().nullish(), period: z.number().nullish(), limit: z.number().nullish() }).nullish(),
  })
  .partial();
