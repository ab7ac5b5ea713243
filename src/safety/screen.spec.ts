import { readJsonl } from '../../test/support/fixtures.js';
import { resolveFromRoot } from '../paths.js';
import { loadScreen } from './safety.service.js';
import { nextRisk, NO_RISK, type ConversationRisk, type SafetyDecision } from './screen.js';

const screen = loadScreen(resolveFromRoot('knowledge/safety'));
const level = (text: string) => screen.screen(text).level;

interface Sample {
  text?: string;
  turns?: string[];
  expectRisk: string[];
  expectFlagged?: boolean;
  lang?: string;
}

/** Screens a sample the way a conversation would: each turn with the risk the earlier ones left. */
function screenSample(sample: Sample): { decision: SafetyDecision; risk: ConversationRisk } {
  let risk: ConversationRisk = { ...NO_RISK };
  let decision!: SafetyDecision;
  for (const text of sample.turns ?? [sample.text!]) {
    decision = screen.screen(text, risk);
    risk = nextRisk(risk, text, decision);
  }
  return { decision, risk };
}

const isCrisis = (s: Sample) => s.expectRisk.length === 1 && s.expectRisk[0] === 'crisis';
const show = (s: Sample) => (s.turns ?? [s.text]).join(' / ');

/** Crisis recall and the false-crisis rate on everything not labelled crisis, with the lines behind them. */
function figures(samples: Sample[]) {
  const misses: string[] = [];
  const alarms: string[] = [];
  let crises = 0;
  let benign = 0;
  for (const s of samples) {
    const { decision } = screenSample(s);
    if (isCrisis(s)) {
      crises++;
      if (decision.level !== 'crisis') misses.push(`MISS (${decision.level}) ${show(s)}`);
    } else if (!s.expectRisk.includes('crisis')) {
      benign++;
      if (decision.level === 'crisis') alarms.push(`FALSE CRISIS ${show(s)} :: ${decision.reasons.map((r) => r.rule).join(', ')}`);
    }
  }
  return { recall: (crises - misses.length) / crises, falseCrisis: alarms.length / Math.max(1, benign), crises, benign, misses, alarms };
}

describe('safety lexicons', () => {
  it('load, and every rule catches its own example and none of its notExamples', () => {
    // loadScreen refuses a lexicon that fails its own examples; the check itself must find nothing.
    expect(() => loadScreen(resolveFromRoot('knowledge/safety'))).not.toThrow();
  });
});

describe('the development set', () => {
  const samples = readJsonl<Sample>('crisis.dev.jsonl');

  it('puts every crisis in crisis and nothing else in crisis (zero misses)', () => {
    const { misses, alarms } = figures(samples);
    expect([...misses, ...alarms]).toEqual([]);
  });
});

/**
 * Earlier sets, and blind sets after their one measurement, run as threshold tests: a better mechanism
 * must not be forced back into phrase rules by one line. Figures and misses are printed.
 */
describe.each([
  ['extended set (English and Spanish)', 'crisis.extra.jsonl', 0.97, 0.03],
  ['multi-turn conversations', 'crisis.conversations.jsonl', 0.97, 0.03],
  ['first blind set', 'blind/crisis.blind.jsonl', 0.97, 0.03],
  ['second blind set', 'blind2/crisis.blind2.jsonl', 0.97, 0.03],
  // Blind set A: its first-contact figure was 0.460 / 0.158 (README); held here at what the mechanism
  // reaches on it now, below the 0.97 target, so that a regression shows.
  ['blind set A (first contact of issue 9)', 'blindA/crisis.blindA.jsonl', 0.9, 0.03],
  // Blind set B: measured once as the final figure, 0.917 / 0.018 (README); a regression set since.
  ['blind set B (final figure of issue 9)', 'blindB/crisis.blindB.jsonl', 0.9, 0.03],
])('the %s', (name, file, minRecall, maxFalseCrisis) => {
  const result = figures(readJsonl<Sample>(file));

  it(`catches at least ${minRecall} of its crises and alarms on at most ${maxFalseCrisis} of the rest`, () => {
    process.stdout.write(
      `${name}: recall ${result.recall.toFixed(3)} of ${result.crises}, false crisis ${result.falseCrisis.toFixed(3)} of ${result.benign}\n` +
        [...result.misses, ...result.alarms].map((l) => `  ${l}\n`).join(''),
    );
    expect(result.recall).toBeGreaterThanOrEqual(minRecall);
    expect(result.falseCrisis).toBeLessThanOrEqual(maxFalseCrisis);
  });
});

describe('conversations', () => {
  it('keeps a conversation flagged once it was in crisis, retraction or not', () => {
    for (const s of readJsonl<Sample>('crisis.conversations.jsonl').filter((x) => x.expectFlagged)) {
      expect({ text: show(s), flagged: screenSample(s).risk.flagged }).toEqual({ text: show(s), flagged: true });
    }
  });

  it('reads a thought split over two messages whole', () => {
    const first = screen.screen("honestly I don't think", NO_RISK);
    const risk = nextRisk(NO_RISK, "honestly I don't think", first);
    expect(screen.screen("I'll be here much longer", risk).level).toBe('crisis');
  });

  it('makes a topic question personal when the visitor says it is about them', () => {
    const question = 'does ketamine help people with suicidal thoughts?';
    const first = screen.screen(question, NO_RISK);
    expect(first.level).toBe('informational');
    expect(screen.screen('asking for me, I have them every day', nextRisk(NO_RISK, question, first)).level).toBe('crisis');
  });

  it('lets distress accumulate into a crisis, but not an ordinary question after it', () => {
    const distressed = { ...NO_RISK, concernTurns: 1, previousText: 'I feel hopeless', previousLevel: 'concern' as const };
    expect(screen.screen("there's no point anymore", distressed).level).toBe('crisis');
    expect(screen.screen('How fast does ketamine work?', distressed).level).toBe('none');
  });

  it('notices a retraction without lowering anything', () => {
    const flagged = { ...NO_RISK, flagged: true, flagKind: 'disclosure' as const };
    const decision = screen.screen('just kidding, never mind', flagged);
    expect(decision.retraction).toBe(true);
    expect(decision.level).toBe('concern');
    expect(nextRisk(flagged, 'just kidding, never mind', decision)).toMatchObject({ flagged: true, flagKind: 'disclosure' });
  });
});

describe('decisions', () => {
  it('tells the kinds apart: imminent wins over third-party', () => {
    expect(screen.screen('My brother says he wants to kill himself').kind).toBe('third-party');
    expect(screen.screen('my wife took a whole bottle of pills an hour ago').kind).toBe('imminent');
    expect(screen.screen("I've been thinking about suicide").kind).toBe('disclosure');
    expect(screen.screen("I'm going to overdose tonight").kind).toBe('imminent');
    // An attempt long ago is a disclosure; one an hour ago is imminent.
    expect(screen.screen('I tried to kill myself two years ago and the thoughts are back').kind).toBe('disclosure');
    expect(screen.screen('I tried to kill myself an hour ago').kind).toBe('imminent');
  });

  it('says which rule decided, and what it read', () => {
    const decision = screen.screen('I want to kill myself');
    expect(decision.reasons.map((r) => r.rule)).toContain('en:thoughts:desire-kill-self');
    expect(decision.reasons.find((r) => r.rule === 'en:thoughts:desire-kill-self')?.matched).toBe('want to kill myself');
  });

  it('reads a suicide word with "I" elsewhere in the sentence as a topic, not a disclosure', () => {
    expect(level('I read that ketamine can reduce suicidal thoughts quickly, is that true?')).toBe('informational');
    expect(level('I want to know whether Spravato is approved for suicidal thoughts')).not.toBe('crisis');
  });

  it('reads a past, resolved history as concern at most', () => {
    expect(level('I attempted suicide twenty years ago and have been well since')).toBe('concern');
    expect(level('I used to self-harm as a teenager, I am fine now')).toBe('concern');
  });

  it('keeps its work linear: a crafted 1,000-character message is screened in milliseconds', () => {
    const crafted = ['i '.repeat(500), 'want to '.repeat(125), 'not '.repeat(250), 'k i l l '.repeat(125), 'a'.repeat(1000)];
    for (const text of crafted) {
      const start = process.hrtime.bigint();
      screen.screen(text);
      expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(200);
    }
  });

  it('screens thirty times the text in about thirty times the work, however many findings it holds', () => {
    // Every clause has findings, subjects, a past marker and an idiom: per-finding work must not scan the message.
    const units: Array<[string, number]> = [
      ['i want to die, i have pills, my brother said he wants to kill himself years ago, this wait is killing me, ', 10],
      ['want to die want to die i am dead tired ', 25],
    ];
    for (const [unit, n] of units) {
      // The fastest of five runs, so a pause of the runtime does not count.
      const time = (times: number) => {
        let best = Infinity;
        for (let i = 0; i < 5; i++) {
          const start = process.hrtime.bigint();
          screen.screen(unit.repeat(times));
          best = Math.min(best, Number(process.hrtime.bigint() - start));
        }
        return best;
      };
      time(n);
      // Quadratic work would make this several hundred; 150 leaves room for noise and caches.
      expect(time(30 * n) / time(n)).toBeLessThan(150);
    }
  });
});
