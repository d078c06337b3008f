import { readFileSync } from 'node:fs';
import { upnCheckLetter } from '../../shared/domain/upn';
import type { PupilRecord } from '../../shared/matching/types';

/**
 * FEBRL 4 (dataset4a: originals, dataset4b: one corrupted duplicate of each) as Hub and MIS
 * pupils: given name, surname and date of birth; soc_sec_id optionally as the UPN.
 */
export interface FebrlScenario {
  hub: PupilRecord[];
  mis: PupilRecord[];
  truth: Map<string, string | null>;
}

/** none: no id; upn: the id as a UPN keyed with its real check letter; upn-self-checked: the letter computed from the (possibly corrupted) digits themselves. */
export type FebrlIdMode = 'none' | 'upn' | 'upn-self-checked';

interface FebrlRow {
  recId: string;
  entity: string;
  givenName: string;
  surname: string;
  dob: string;
  socSecId: string;
}

function readRows(path: string): FebrlRow[] {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim());
  const header = lines[0]!.split(',').map((cell) => cell.trim());
  const column = (name: string) => header.indexOf(name);
  return lines.slice(1).map((line) => {
    const cells = line.split(',').map((cell) => cell.trim());
    const recId = cells[column('rec_id')]!;
    return {
      recId,
      entity: /^rec-(\d+)-/.exec(recId)![1]!,
      givenName: cells[column('given_name')]!,
      surname: cells[column('surname')]!,
      dob: cells[column('date_of_birth')]!,
      socSecId: cells[column('soc_sec_id')]!,
    };
  });
}

/**
 * With `upn`, soc_sec_id becomes the 12 digits of a UPN. A UPN's check letter is keyed with it
 * from the child's real UPN, so a slip in the digits leaves a letter that no longer fits: the
 * letter is therefore taken from the original record's id (truth used only to simulate keying).
 */
export function loadFebrl4(dir: string, idMode: FebrlIdMode): FebrlScenario {
  const originals = readRows(`${dir}/dataset4a.csv`);
  const duplicates = readRows(`${dir}/dataset4b.csv`);
  const originalId = new Map(originals.map((row) => [row.entity, row.socSecId]));
  const toRecord = (row: FebrlRow): PupilRecord => {
    let upn: string | null = null;
    if (idMode !== 'none' && /^\d{1,12}$/.test(row.socSecId)) {
      const digits = row.socSecId.padStart(12, '0');
      const keyedFrom = idMode === 'upn' ? (originalId.get(row.entity) ?? row.socSecId).padStart(12, '0') : digits;
      upn = upnCheckLetter(keyedFrom) + digits;
    }
    return {
      id: row.recId,
      upn,
      misId: null,
      firstName: row.givenName || null,
      middleName: null,
      lastName: row.surname || null,
      dob: /^\d{8}$/.test(row.dob) ? `${row.dob.slice(0, 4)}-${row.dob.slice(4, 6)}-${row.dob.slice(6, 8)}` : null,
      gender: null,
      yearCode: null,
    };
  };
  const mis = originals.map(toRecord);
  const hub = duplicates.map(toRecord);
  const misByEntity = new Map(originals.map((row) => [row.entity, row.recId]));
  const truth = new Map(duplicates.map((row) => [row.recId, misByEntity.get(row.entity) ?? null]));
  return { hub, mis, truth };
}
