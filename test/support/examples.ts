import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/local/localStack';
import { hubFileSchema, type HubFile } from '../../shared/files/hubFile';
import { parseJsonFile } from '../../shared/files/jsonFile';
import { schoolFileSchema, type SchoolFile } from '../../shared/files/schoolFile';

/** The hand-written SCHOOL.json and HUB.json of docs/examples/ (docs/own-school.md). */
export const EXAMPLES_DIR = join(REPO_ROOT, 'docs/examples');

export const exampleText = (name: 'school.json' | 'hub.json'): string => readFileSync(join(EXAMPLES_DIR, name), 'utf8');
export const exampleSchool = (): SchoolFile => parseJsonFile(schoolFileSchema, exampleText('school.json'), 'school.json');
export const exampleHub = (): HubFile => parseJsonFile(hubFileSchema, exampleText('hub.json'), 'hub.json');
