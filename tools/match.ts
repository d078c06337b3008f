/**
 * `npm run match -- --kind pupils|teachers --hub HUB.csv --mis MIS.csv --out RESULT.json`
 * Runs the matching engine on two CSV files; exit code 2 names the file, line and column of bad input.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CsvError, readPupilCsv, readTeacherCsv } from '../shared/matching/csv';
import { matchPupils } from '../shared/matching/pupils';
import { matchTeachers } from '../shared/matching/teachers';

const USAGE = 'usage: npm run match -- --kind pupils|teachers --hub HUB.csv --mis MIS.csv --out RESULT.json';

function main(): number {
  const { values } = parseArgs({
    options: { kind: { type: 'string' }, hub: { type: 'string' }, mis: { type: 'string' }, out: { type: 'string' } },
  });
  const { kind, hub, mis, out } = values;
  if ((kind !== 'pupils' && kind !== 'teachers') || !hub || !mis || !out) {
    console.error(USAGE);
    return 2;
  }
  try {
    const read = (file: string) => readFileSync(file, 'utf8');
    const result =
      kind === 'pupils'
        ? matchPupils(readPupilCsv(read(hub), hub), readPupilCsv(read(mis), mis))
        : matchTeachers(readTeacherCsv(read(hub), hub), readTeacherCsv(read(mis), mis));
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      `${kind}: ${result.matched.length} matched, ${result.mayMatch.length} may match, ${result.new.length} new, ${result.notMatched.length} not matched → ${out}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof CsvError) {
      console.error(error.message);
      return 2;
    }
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
      console.error(`Cannot read ${(error as NodeJS.ErrnoException).path}: no such file`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = main();
