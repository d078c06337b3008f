import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv, readPupilCsv, readTeacherCsv } from './csv';

const HEADER = 'id,upn,mis_id,first_name,middle_name,last_name,dob,gender,year_code';

describe('matching CSV files', () => {
  it('reads quoted fields with commas, quotes and a byte-order mark', () => {
    expect(parseCsv('\ufeffa,b\n"x, ""y""",z\n', 'f.csv').rows).toEqual([
      ['a', 'b'],
      ['x, "y"', 'z'],
    ]);
  });

  it('reads pupils, with empty fields as missing', () => {
    const [pupil] = readPupilCsv(`${HEADER}\np1,,,Zoë,,O'Brien,2019-02-03,F,2\n`, 'hub.csv');
    expect(pupil).toEqual({
      id: 'p1',
      upn: null,
      misId: null,
      firstName: 'Zoë',
      middleName: null,
      lastName: "O'Brien",
      dob: '2019-02-03',
      gender: 'F',
      yearCode: '2',
    });
  });

  it.each([
    ['a missing column', 'id,upn\np1,\n', 'hub.csv, line 1, column mis_id: the header has no "mis_id" column'],
    [
      'a bad date',
      `${HEADER}\np1,,,A,,B,2019-02-30,F,2\n`,
      'hub.csv, line 2, column dob: "2019-02-30" is not a date in YYYY-MM-DD form',
    ],
    [
      'a duplicate id',
      `${HEADER}\np1,,,A,,B,,,\np1,,,C,,D,,,\n`,
      'hub.csv, line 3, column id: duplicate id "p1" (first on line 2)',
    ],
    ['a short row', `${HEADER}\np1,,,A\n`, 'hub.csv, line 2: expected 9 fields, found 4'],
  ])('names the file, line and column of %s', (_, text, message) => {
    expect(() => readPupilCsv(text, 'hub.csv')).toThrow(new CsvError('hub.csv', 0, null, '').constructor as never);
    expect(() => readPupilCsv(text, 'hub.csv')).toThrow(message);
  });

  it('reads teachers', () => {
    expect(readTeacherCsv('id,title,first_name,last_name,email,mis_id\nt1,Mrs,Kate,Pemberton,k@x.sch.uk,\n', 'mis.csv')).toEqual([
      { id: 't1', title: 'Mrs', firstName: 'Kate', lastName: 'Pemberton', email: 'k@x.sch.uk', misId: null },
    ]);
  });
});
