import type { NightlyRecord } from '../domain/records';
import type { Email } from '../mail/mailer';

const escape = (value: string) =>
  value.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char]!);

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** The wizard's pages the digest links to. */
export const wizardPage = (appUrl: string, step: string) => `${appUrl}/school/mis-data-sync/${step}`;

/**
 * The Access Co-ordinator's digest of one night: what changed (counts), and what waits for them
 * with a link to the panel that deals with it. Names only of what waits (the co-ordinator sees
 * them in the panels anyway); no pupil's details beyond their name.
 */
export function digestEmail(record: NightlyRecord, appUrl: string): Omit<Email, 'to'> {
  if (record.status === 'revoked') {
    const link = wizardPage(appUrl, 'authorisation');
    return {
      subject: 'Your MIS data sync has stopped: authorise Assembly again',
      text: `Last night's MIS data sync could not reach your MIS: access through Assembly has been revoked.\nNothing more is synced until you authorise again:\n\n${link}`,
      html: `<p>Last night's MIS data sync could not reach your MIS: access through Assembly has been revoked.</p><p>Nothing more is synced until you <a href="${escape(link)}">authorise again</a>.</p>`,
    };
  }
  const { counts, waiting } = record;
  const changes = [
    counts.imported && `${plural(counts.imported, 'new pupil')} imported into their class`,
    counts.linked && `${plural(counts.linked, 'new pupil')} linked to the Admin Hub pupil they already were`,
    counts.changed && `${plural(counts.changed, 'synced user')} updated from your MIS`,
    counts.outOfSync && `${plural(counts.outOfSync, 'user')} now Out of sync (left your MIS or moved outside what you sync)`,
    counts.errors && `${plural(counts.errors, 'record')} left as they were because they changed in the Admin Hub`,
  ].filter((line): line is string => Boolean(line));
  const waits = [
    waiting.teachers.count && {
      line: `${plural(waiting.teachers.count, 'new teacher')} in your MIS: import them in the Teachers panel`,
      names: waiting.teachers.names,
      link: wizardPage(appUrl, 'teachers'),
    },
    waiting.classes.count && {
      line: `${plural(waiting.classes.count, 'new class', 'new classes')} in your MIS: sync them in the Classes panel`,
      names: waiting.classes.names,
      link: wizardPage(appUrl, 'classes'),
    },
    waiting.mayMatches.count && {
      line: `${plural(waiting.mayMatches.count, 'new pupil')} may be pupils already in the Admin Hub: check them in the Pupils panel`,
      names: waiting.mayMatches.names,
      link: wizardPage(appUrl, 'pupils'),
    },
    waiting.pupils.count && {
      line: `${plural(waiting.pupils.count, 'new pupil')} in classes you do not sync: sync their class to import them`,
      names: waiting.pupils.names,
      link: wizardPage(appUrl, 'classes'),
    },
  ].filter((wait): wait is { line: string; names: string[]; link: string } => Boolean(wait));
  const more = (count: number, names: readonly string[]) => (count > names.length ? `, and ${count - names.length} more` : '');
  const counted = [waiting.teachers, waiting.classes, waiting.mayMatches, waiting.pupils].filter((list) => list.count);
  const text = [
    'Last night’s MIS data sync:',
    '',
    ...(changes.length ? changes.map((line) => `- ${line}`) : ['- nothing changed in the Admin Hub']),
    ...(waits.length
      ? [
          '',
          'Waiting for you:',
          ...waits.flatMap((wait, index) => [
            `- ${wait.line}: ${wait.link}`,
            `  ${wait.names.join(', ')}${more(counted[index]!.count, wait.names)}`,
          ]),
        ]
      : []),
  ].join('\n');
  const html = [
    '<p>Last night’s MIS data sync:</p>',
    `<ul>${(changes.length ? changes : ['nothing changed in the Admin Hub']).map((line) => `<li>${escape(line)}</li>`).join('')}</ul>`,
    waits.length
      ? `<p>Waiting for you:</p><ul>${waits
          .map(
            (wait, index) =>
              `<li><a href="${escape(wait.link)}">${escape(wait.line)}</a>: ${escape(wait.names.join(', '))}${escape(more(counted[index]!.count, wait.names))}</li>`,
          )
          .join('')}</ul>`
      : '',
  ].join('');
  const total = counts.imported + counts.linked + counts.changed + counts.outOfSync;
  const subject = waits.length
    ? `MIS data sync: ${plural(total, 'change')} last night, and ${waits.length === 1 ? 'something' : 'a few things'} waiting for you`
    : `MIS data sync: ${plural(total, 'change')} last night`;
  return { subject, text, html };
}
