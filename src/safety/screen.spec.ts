import { readJsonl, type RiskSample } from '../../test/support/fixtures.js';
import { resolveFromRoot } from '../paths.js';
import { Lexicon, loadLexiconFiles } from './lexicon.js';
import { nextRisk, NO_RISK, SafetyScreen } from './screen.js';

const lexicon = new Lexicon(loadLexiconFiles(resolveFromRoot('knowledge/safety')));
const screen = new SafetyScreen(lexicon);
const level = (text: string) => screen.screen(text).level;

describe('safety lexicons', () => {
  it('load, and every rule catches its own example and none of its notExamples', () => {
    expect(lexicon.selfCheck()).toEqual([]);
  });
});

describe.each([
  ['development set', 'crisis.dev.jsonl', true],
  ['extended set (English and Spanish)', 'crisis.extra.jsonl', true],
  ['first blind set', 'blind/crisis.blind.jsonl', false],
  ['second blind set', 'blind2/crisis.blind2.jsonl', false],
])('SafetyScreen on the %s', (_name, file, checkKinds) => {
  const samples = readJsonl<RiskSample>(file);

  it('puts every crisis sample in crisis', () => {
    const missed = samples.filter((s) => s.expectRisk.length === 1 && s.expectRisk[0] === 'crisis' && level(s.text) !== 'crisis');
    expect(missed.map((s) => s.text)).toEqual([]);
  });

  it('never puts a benign sample in crisis', () => {
    const alarmed = samples.filter((s) => !s.expectRisk.includes('crisis') && level(s.text) === 'crisis');
    expect(alarmed.map((s) => s.text)).toEqual([]);
  });

  it('gives every sample one of its acceptable levels', () => {
    const wrong = samples.filter((s) => !s.expectRisk.includes(level(s.text))).map((s) => `${s.text} -> ${level(s.text)}`);
    expect(wrong).toEqual([]);
  });

  // Kinds decide the order of the resources; the blind sets' writers drew the line between
  // "imminent" and "disclosure" a little differently, so only the sets we label ourselves are held to it.
  if (checkKinds)
    it('gives every crisis its kind', () => {
      const wrong = samples
        .filter((s) => s.expectKind)
        .map((s) => ({ s, kind: screen.screen(s.text).kind }))
        .filter(({ s, kind }) => kind !== s.expectKind)
        .map(({ s, kind }) => `${s.text} -> ${kind} (expected ${s.expectKind})`);
      expect(wrong).toEqual([]);
    });
});

describe('SafetyScreen rules', () => {
  it.each([
    'I want to kill myself',
    'kms',
    'i want to unalive myself',
    'thinking about sewer slide',
    'I W A N T  T O  D I E',
    'how much does it cost? I have been thinking of ending my life',
    "I'm not suicidal but I have no reason to live",
    'what is a lethal dose of my lithium',
    'quiero morir',
  ])('reads "%s" as a crisis', (text) => {
    expect(level(text)).toBe('crisis');
  });

  it.each([
    'This wait list is killing me lol',
    'my phone died',
    "I'd kill for an earlier appointment",
    "I'm dying to know if my insurance covers this",
    "I'm not suicidal, just curious",
    'se me murió el celular',
    'me muero de ganas de empezar',
  ])('does not read the idiom or negation "%s" as a crisis', (text) => {
    expect(level(text)).not.toBe('crisis');
  });

  it('tells the kinds apart: imminent wins over third-party', () => {
    expect(screen.screen('My brother says he wants to kill himself').kind).toBe('third-party');
    expect(screen.screen('my wife took pills an hour ago').kind).toBe('imminent');
    expect(screen.screen("I've been thinking about suicide").kind).toBe('disclosure');
    expect(screen.screen("I'm going to overdose tonight").kind).toBe('imminent');
  });

  it('reads questions about suicide as a topic as informational', () => {
    expect(level('Can ketamine help with suicidal thoughts?')).toBe('informational');
    expect(level('Why does the Spravato label mention acute suicidal ideation?')).toBe('informational');
    expect(level('¿la ketamina ayuda con los pensamientos suicidas?')).toBe('informational');
  });

  it('reads the topic with the visitor speaking of themself, or as a statement, as a crisis', () => {
    expect(level('can ketamine help my suicidal thoughts')).toBe('crisis');
    expect(level('suicidal again')).toBe('crisis');
  });

  it('says which rule decided', () => {
    const decision = screen.screen('I want to kill myself');
    expect(decision.reasons.map((r) => r.rule)).toContain('en:crisis:kill-self');
    expect(decision.reasons[0].matched).toContain('kil myself');
  });

  it('lets risk accumulate across a conversation', () => {
    expect(screen.screen("there's no point anymore", NO_RISK).level).toBe('concern');
    expect(screen.screen("there's no point anymore", { ...NO_RISK, concernTurns: 1 }).level).toBe('crisis');
    expect(screen.screen('How fast does ketamine work?', { ...NO_RISK, concernTurns: 1 }).level).toBe('none');
  });

  it('notices a retraction without lowering anything', () => {
    const flagged = { ...NO_RISK, flagged: true, flagKind: 'disclosure' as const };
    const decision = screen.screen('just kidding, never mind', flagged);
    expect(decision.retraction).toBe(true);
    // In a flagged conversation nothing is below concern, retraction or not.
    expect(decision.level).toBe('concern');
    // And the conversation state stays flagged after it.
    expect(nextRisk(flagged, 'just kidding, never mind', decision)).toMatchObject({ flagged: true, flagKind: 'disclosure' });
  });
});
