import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const HEADER = 'id,upn,mis_id,first_name,middle_name,last_name,dob,gender,year_code';
const run = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'match.ts'), ...args], { encoding: 'utf8' });

describe('npm run match', () => {
  const dir = mkdtempSync(join(tmpdir(), 'match-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('writes every id once, in the documented shape', () => {
    const hub = file('hub.csv', `${HEADER}\nh1,,,Kate,,Smith,2019-02-03,F,2\nh2,,,Janet,,Whitmore,2008-01-01,F,\n`);
    const mis = file('mis.csv', `${HEADER}\nm1,,,Katherine,,Smith,2019-02-03,F,2\nm2,,,Aisha,,Khan,2019-05-03,F,2\n`);
    const out = join(dir, 'result.json');

    const result = run(['--kind', 'pupils', '--hub', hub, '--mis', mis, '--out', out]);

    expect(result.status).toBe(0);
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(written).toEqual({
      matched: [
        {
          hubId: 'h1',
          misId: 'm1',
          score: expect.any(Number),
          reasons: expect.arrayContaining(['First name a known short form of the same name']),
        },
      ],
      mayMatch: [],
      new: ['m2'],
      notMatched: ['h2'],
    });
  });

  it('exits 2 naming the file, line and column of a bad date', () => {
    const hub = file('bad.csv', `${HEADER}\nh1,,,Kate,,Smith,03/02/2019,F,2\n`);
    const result = run(['--kind', 'pupils', '--hub', hub, '--mis', hub, '--out', join(dir, 'x.json')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${hub}, line 2, column dob`);
  });

  it('matches teachers too', () => {
    const header = 'id,title,first_name,last_name,email,mis_id';
    const hub = file('th.csv', `${header}\nt1,Mrs,Kate,Pemberton,kp@x.sch.uk,\n`);
    const mis = file('tm.csv', `${header}\ns1,Mrs,Katherine,Pemberton,kp@x.sch.uk,\n`);
    const out = join(dir, 'teachers.json');
    execFileSync(process.execPath, [
      '--import',
      'tsx',
      join(import.meta.dirname, 'match.ts'),
      '--kind',
      'teachers',
      '--hub',
      hub,
      '--mis',
      mis,
      '--out',
      out,
    ]);
    expect(JSON.parse(readFileSync(out, 'utf8')).matched[0]).toMatchObject({ hubId: 't1', misId: 's1' });
  });
});
