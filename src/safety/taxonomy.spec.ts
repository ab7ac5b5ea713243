import { resolveFromRoot } from '../paths.js';
import { Lexicon, loadLexiconFiles, loadNearWords } from './grammar.js';
import { SafetyScreen } from './screen.js';

/**
 * The lexicons are grammars over the C-SSRS categories, not lists of phrases: every combination their
 * slots allow is caught, including the many nobody wrote down. These sentences are generated from slots
 * (who, modality, predicate, time), so almost none of them appears in a lexicon, an example or a data
 * set. The grammar alone is tested here (no classifier), so nothing learned hides a gap.
 */
const dir = resolveFromRoot('knowledge/safety');
const grammarOnly = new SafetyScreen(new Lexicon(loadLexiconFiles(dir), loadNearWords(dir)), null);

function* combine(...slots: string[][]): Generator<string> {
  if (slots.length === 0) {
    yield '';
    return;
  }
  const [first, ...rest] = slots;
  for (const head of first) for (const tail of combine(...rest)) yield `${head} ${tail}`.replace(/\s+/g, ' ').trim();
}

function screenAll(sentences: Iterable<string>) {
  const out: Array<{ text: string; level: string; kind: string | null }> = [];
  for (const text of sentences) {
    const d = grammarOnly.screen(text);
    out.push({ text, level: d.level, kind: d.kind });
  }
  return out;
}

const notCrisis = (rows: Array<{ text: string; level: string }>) => rows.filter((r) => r.level !== 'crisis').map((r) => `${r.text} -> ${r.level}`);

describe('C-SSRS 1-2: wish to be dead, thoughts of killing oneself (English)', () => {
  const modality = ['I want to', 'I just wanna', 'I wish I could', "I'm going to", 'I should', 'maybe I should', 'I might', "I've decided to", "I'm planning to", 'part of me wants to', 'sometimes I want to', 'I really want to'];
  const predicate = ['die', 'kill myself', 'end it all', 'end my life', 'take my own life', 'disappear for good', 'unalive myself', 'end everything'];
  const time = ['', 'tonight', 'lately', 'so bad'];

  it(`catches all ${modality.length * predicate.length * time.length} combinations of modality, predicate and time`, () => {
    expect(notCrisis(screenAll(combine(modality, predicate, time)))).toEqual([]);
  });

  it('reads the same predicates about someone else as a third-party crisis', () => {
    const rows = screenAll(combine(['my son wants to', 'my wife said she is going to', 'my best friend keeps saying he wants to'], ['die', 'kill himself', 'end it all', 'end her life', 'disappear for good']));
    expect(notCrisis(rows)).toEqual([]);
    expect(rows.filter((r) => r.kind !== 'third-party' && r.kind !== 'imminent').map((r) => r.text)).toEqual([]);
  });

  it('reads them under a negation that reaches them as not a crisis', () => {
    const rows = screenAll(combine(["I don't want to", "I'm not going to", 'I would never'], ['kill myself', 'end my life', 'hurt myself']));
    expect(rows.filter((r) => r.level === 'crisis').map((r) => r.text)).toEqual([]);
  });

  it('reads them as a topic when people in general are the subject of a question', () => {
    const rows = screenAll([...combine(['can ketamine help people who want to', 'does Spravato work for someone who wants to'], ['die', 'end their life', 'kill themselves'])].map((s) => `${s}?`));
    expect(rows.filter((r) => r.level === 'crisis').map((r) => r.text)).toEqual([]);
  });
});

describe('C-SSRS passive wish, in other grammatical shapes (English)', () => {
  const shapes = [
    ...combine(['everyone would be better off', 'my family would be better off', 'my kids would be happier'], ['without me', 'if I was gone', "if I wasn't here"]),
    ...combine(["I don't want to", "I don't really want to"], ['live anymore', 'be here anymore', 'wake up tomorrow', 'exist']),
    ...combine(["there's no", 'I have no', "I can't find a"], ['reason to live', 'point in living', 'reason to keep going']),
    ...combine(["I'm", "I've been", "I'm just so"], ['tired of living', 'done with life', 'sick of being alive']),
  ];
  it(`catches all ${shapes.length} shapes`, () => {
    expect(notCrisis(screenAll(shapes))).toEqual([]);
  });
});

describe('non-suicidal self-harm with any modal or tense (English)', () => {
  const modality = ['I want to', "I'm going to", 'I need to', 'I feel like I need to', 'I might', "I can't stop thinking about", 'I keep wanting to', 'I started to'];
  const act = ['hurt myself', 'cut myself', 'burn myself', 'harm myself'];
  it(`catches all ${modality.length * act.length} combinations`, () => {
    expect(notCrisis(screenAll(combine(modality, act)))).toEqual([]);
  });
});

describe('method, plan, preparation and attempt in plain words (English)', () => {
  const rows = [
    ...combine(["I've", 'I have', 'I finally'], ['picked the date', 'chosen the place', 'worked out the plan', 'written my goodbye letters', 'saved up my pills', 'bought a rope']),
    ...combine(['I took', 'I swallowed', 'I just took'], ['a whole bottle of my sleeping pills', 'all my lithium', 'a handful of xanax']),
    ...combine(["I'm thinking about", 'I keep thinking about'], ['jumping off the bridge', 'stepping in front of a train', 'taking all my pills']),
    ...combine(['I want to', "I'm going to"], ['jump off the bridge', 'step in front of a train', 'take all my pills']),
  ];
  it(`catches all ${rows.length} and calls acts, means at hand and dates imminent`, () => {
    const screened = screenAll(rows);
    expect(notCrisis(screened)).toEqual([]);
    const imminent = screened.filter((r) => /took|swallowed|saved up|bought|picked the date/.test(r.text));
    expect(imminent.filter((r) => r.kind !== 'imminent').map((r) => r.text)).toEqual([]);
  });
});

describe('asking for means, with or without "me" (English)', () => {
  const rows = [
    ...combine(['how many', 'how many of my'], ['sleeping pills', 'tylenol', 'lithium tablets'], ['would it take to die', 'would be fatal', 'would it take to not wake up']),
    ...combine(['what is a lethal dose of', "what's the fatal amount of"], ['lithium', 'my antidepressant', 'ketamine']),
    ...combine(['which', 'what'], ['bridge', 'building'], ['is tall enough to die', 'would be high enough to kill someone']),
  ];
  it(`catches all ${rows.length}`, () => {
    expect(notCrisis(screenAll(rows))).toEqual([]);
  });
});

describe('Spanish: who, modality and predicate', () => {
  const modality = ['quiero', 'ya quiero', 'me quiero', 'tengo ganas de', 'voy a', 'pienso en', 'estoy pensando en', 'a veces quiero'];
  const predicate = ['morirme', 'matarme', 'quitarme la vida', 'suicidarme', 'desaparecer para siempre', 'acabar con todo'];
  it(`catches all ${modality.length * predicate.length} first-person combinations`, () => {
    expect(notCrisis(screenAll(combine(modality, predicate)))).toEqual([]);
  });

  it('reads them about someone else as a third-party crisis, and negated as not a crisis', () => {
    const other = screenAll(combine(['mi hijo dice que', 'mi hermana me dijo que'], ['se quiere morir', 'se quiere matar', 'quiere quitarse la vida']));
    expect(notCrisis(other)).toEqual([]);
    expect(other.filter((r) => r.kind !== 'third-party').map((r) => r.text)).toEqual([]);
    const negated = screenAll(combine(['no quiero', 'nunca he pensado en', 'no voy a'], ['matarme', 'quitarme la vida', 'suicidarme']));
    expect(negated.filter((r) => r.level === 'crisis').map((r) => r.text)).toEqual([]);
  });
});
