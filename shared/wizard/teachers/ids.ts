/**
 * Ids of an imported teacher and their account: derived from the centre and the MIS person, so a
 * retried import finds them, and never another centre's.
 */
export const importedTeacherId = (centreId: string, misId: string) => `mis-teacher-${centreId}-${misId}`;
export const importedUserId = (centreId: string, misId: string) => `mis-user-${centreId}-${misId}`;
/** The account made for a Hub teacher who had none (a welcome email sent from Users › Teachers). */
export const handEnteredUserId = (teacherId: string) => `teacher-${teacherId}`;
/** Every id an account of this teacher can have: what a delete checks no account was made meanwhile. */
export const possibleUserIds = (centreId: string, teacher: { teacherId: string; misId: string | null }) => [
  handEnteredUserId(teacher.teacherId),
  ...(teacher.misId ? [importedUserId(centreId, teacher.misId)] : []),
];

/** The MIS person a teacher or account was imported for, or null for one entered by hand. */
export function importedMisIdOf(centreId: string, id: string): string | null {
  for (const prefix of [importedTeacherId(centreId, ''), importedUserId(centreId, '')])
    if (id.startsWith(prefix)) return id.slice(prefix.length);
  return null;
}

/** A person's name as the co-ordinator reads it: "Dr Ayesha Bibi". */
export const fullName = (person: { title: string | null; firstName: string | null; lastName: string | null }) =>
  [person.title, person.firstName, person.lastName].filter(Boolean).join(' ');
