import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { demoSchool, type OwnSchool } from '../../shared/demo/seedDemo';
import { hubFileSchema, unknownLinks } from '../../shared/files/hubFile';
import { JsonFileError, parseJsonFile } from '../../shared/files/jsonFile';
import { schoolFileSchema } from '../../shared/files/schoolFile';
import { schoolFileFor } from './assembly/schoolData';

/**
 * Reads `--school SCHOOL.json` and `--hub HUB.json` (docs/own-school.md). A malformed file
 * throws a JsonFileError naming the file and the JSON path of each problem. With `--hub`
 * alone, the Hub file is checked against the generated demo school.
 */
export function readOwnSchool(paths: { school?: string; hub?: string }): (OwnSchool & { key: string }) | null {
  if (!paths.school && !paths.hub) return null;
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      throw new JsonFileError(basename(path), [`$: cannot read ${path}`]);
    }
  };
  const schoolText = paths.school ? read(paths.school) : null;
  const hubText = paths.hub ? read(paths.hub) : null;
  const school = schoolText
    ? parseJsonFile(schoolFileSchema, schoolText, basename(paths.school!))
    : schoolFileSchema.parse(schoolFileFor(demoSchool()));
  const hub = hubText ? parseJsonFile(hubFileSchema, hubText, basename(paths.hub!)) : null;
  if (hub) {
    const problems = unknownLinks(hub, school);
    if (problems.length) throw new JsonFileError(basename(paths.hub!), problems);
  }
  // The same files keep their data between starts; other files start a Hub of their own.
  const key = createHash('sha256')
    .update(schoolText ?? '')
    .update('\0')
    .update(hubText ?? '')
    .digest('hex')
    .slice(0, 12);
  return { school, hub, key };
}
