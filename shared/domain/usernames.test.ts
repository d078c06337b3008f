import { describe, expect, it } from 'vitest';
import { usernameAllocator } from './usernames';

describe('pupil usernames', () => {
  it('are the initial and surname in plain letters, numbered when taken in the centre', () => {
    const next = usernameAllocator(['ajones', 'AJones2']);
    expect(next('Amy', 'Jones')).toBe('ajones3');
    expect(next('Zoë', 'Ó Briain')).toBe('zobriain');
    expect(next('Zac', 'O’Briain')).toBe('zobriain2');
    expect(next('Ли', 'Ван')).toBe('pupil');
    expect(next('Maximilian', 'Featherstonehaughs')).toBe('mfeatherstonehau');
  });
});
