/**
 * Known-as names used in UK schools, each mapped to the formal name it stands for.
 * Owned by the project: small on purpose, extended when schools show us a miss.
 */
const FORMAL_TO_SHORT: Record<string, readonly string[]> = {
  abigail: ['abi', 'abbie', 'abby'],
  aleksandra: ['ola', 'ala'],
  alexander: ['alex', 'xander', 'sandy'],
  alexandra: ['alex', 'lexi', 'sasha'],
  amelia: ['millie', 'amy'],
  benjamin: ['ben', 'benji', 'benny'],
  catherine: ['cath', 'cathy', 'kate', 'katie'],
  charles: ['charlie', 'chas'],
  charlotte: ['lottie', 'charlie'],
  christopher: ['chris', 'kit'],
  daniel: ['dan', 'danny'],
  deborah: ['debbie', 'deb'],
  edward: ['ed', 'eddie', 'ted', 'ned'],
  eleanor: ['ellie', 'nell', 'nora'],
  elizabeth: ['liz', 'lizzie', 'beth', 'betty', 'eliza', 'libby'],
  emily: ['em', 'emmy'],
  florence: ['flo', 'florrie'],
  frederick: ['fred', 'freddie', 'freddy'],
  gabriel: ['gabe'],
  henry: ['harry', 'hal'],
  isabella: ['izzy', 'bella', 'issy'],
  isabelle: ['izzy', 'belle', 'issy'],
  james: ['jim', 'jimmy', 'jamie'],
  jennifer: ['jen', 'jenny'],
  jonathan: ['jon', 'jonny'],
  joseph: ['joe', 'joey'],
  katarzyna: ['kasia'],
  katherine: ['kate', 'katie', 'kath', 'kathy', 'kat'],
  małgorzata: ['gosia'],
  margaret: ['maggie', 'meg', 'peggy'],
  matthew: ['matt', 'matty'],
  michael: ['mike', 'mikey', 'mick'],
  nathaniel: ['nat', 'nathan'],
  nicholas: ['nick', 'nicky'],
  oliver: ['ollie', 'olly'],
  olivia: ['liv', 'livvy'],
  oluwaseun: ['seun'],
  oluwatobi: ['tobi'],
  patrick: ['pat', 'paddy'],
  rebecca: ['becky', 'becca'],
  richard: ['rich', 'richie', 'dick'],
  robert: ['rob', 'bob', 'bobby', 'robbie'],
  samantha: ['sam', 'sammy'],
  samuel: ['sam', 'sammy'],
  stephen: ['steve'],
  susan: ['sue', 'susie'],
  theodore: ['theo', 'teddy'],
  thomas: ['tom', 'tommy'],
  victoria: ['vicky', 'tori'],
  william: ['will', 'bill', 'billy', 'liam'],
  zachary: ['zach', 'zack'],
};

const SHORT_TO_FORMAL = new Map<string, string[]>();
for (const [formal, shorts] of Object.entries(FORMAL_TO_SHORT)) {
  for (const short of shorts) SHORT_TO_FORMAL.set(short, [...(SHORT_TO_FORMAL.get(short) ?? []), formal]);
}

/** Short forms of a formal first name (lower case), for generating known-as names. */
export function shortFormsOf(formal: string): readonly string[] {
  return FORMAL_TO_SHORT[formal.toLowerCase()] ?? [];
}

/** Formal names a short form may stand for ("sam" → samuel, samantha). */
export function formalNamesFor(short: string): readonly string[] {
  return SHORT_TO_FORMAL.get(short.toLowerCase()) ?? [];
}

/** True when one name is a known short form of the other. */
export function isKnownAs(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return formalNamesFor(x).includes(y) || formalNamesFor(y).includes(x);
}
