import type { ChatOutcome, ChatService } from '../chat/chat.service.js';
import type { Locale } from '../knowledge/entry.schema.js';

/** One input line of a batch file: `text` (or `turns`, a conversation), expectations, anything else. */
export interface BatchLine {
  text?: string;
  turns?: string[];
  locale?: Locale;
  expect?: string[];
  expectRisk?: string[];
  expectKind?: string;
  expectFlagged?: boolean;
  [field: string]: unknown;
}

export interface BatchResult extends Record<string, unknown> {
  risk: string;
  type: string;
  entryId: string | null;
  /** The language the reply was given in (detected from the message; `locale` is only a hint). */
  replyLocale: string;
  /** The best candidate's fused confidence, and its two signals: lexical and classifier. */
  score: number | null;
  lexical: number | null;
  classifier: number | null;
  /** A second question of the same message, offered as a suggestion. */
  alsoAsked: string | null;
  suggestions: string[];
  crisisKind: string | null;
  flagged: boolean;
  reasons: string[];
}

export interface Tally {
  total: number;
  correct: number;
}

/** Answer quality over the lines that have `expect`: in scope (an entry expected) and off topic ("fallback"). */
export interface Quality {
  inScope: { total: number; right: number; wrong: number; fallback: number };
  offTopic: { total: number; declined: number };
}

export interface BatchSummary {
  lines: number;
  quality: Quality;
  top1: Tally;
  risk: Tally;
  kind: Tally;
  flagged: Tally;
  misses: Array<{ line: number; text: string; expected: string; got: string }>;
}

/** Parses JSON Lines; reports the line number of any line that is not a JSON object with text or turns. */
export function parseBatch(content: string): BatchLine[] {
  return content
    .split('\n')
    .map((raw, i) => ({ raw: raw.trim(), n: i + 1 }))
    .filter(({ raw }) => raw !== '')
    .map(({ raw, n }) => {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (err) {
        throw new Error(`line ${n}: not valid JSON (${(err as Error).message})`, { cause: err });
      }
      const line = value as BatchLine;
      const hasText = typeof line?.text === 'string';
      const hasTurns = Array.isArray(line?.turns) && line.turns.length > 0 && line.turns.every((t) => typeof t === 'string');
      if (!value || typeof value !== 'object' || Array.isArray(value) || (!hasText && !hasTurns)) {
        throw new Error(`line ${n}: needs a "text" string or a "turns" list of strings`);
      }
      return line;
    });
}

/**
 * Runs every line through the chat pipeline, exactly as the gateway does (a new conversation per line;
 * a line with `turns` is one conversation, judged on its last turn).
 */
export async function runBatch(
  lines: BatchLine[],
  chat: ChatService,
): Promise<{ results: BatchResult[]; summary: BatchSummary }> {
  const results: BatchResult[] = [];
  const summary: BatchSummary = {
    lines: lines.length,
    quality: { inScope: { total: 0, right: 0, wrong: 0, fallback: 0 }, offTopic: { total: 0, declined: 0 } },
    top1: { total: 0, correct: 0 },
    risk: { total: 0, correct: 0 },
    kind: { total: 0, correct: 0 },
    flagged: { total: 0, correct: 0 },
    misses: [],
  };
  for (const [i, line] of lines.entries()) {
    const turns = line.turns ?? [line.text as string];
    let conversationId: string | undefined;
    let resumeToken: string | undefined;
    let outcome: ChatOutcome | undefined;
    for (const text of turns) {
      outcome = await chat.respond({ text, locale: line.locale, conversationId, resumeToken });
      if ('refused' in outcome) throw new Error('batch-test is never rate limited');
      ({ conversationId, resumeToken } = outcome.reply);
    }
    if (!outcome || 'refused' in outcome) throw new Error('no outcome');
    const { reply, trace } = outcome;
    const result: BatchResult = {
      ...line,
      risk: reply.risk,
      type: reply.type,
      entryId: reply.type === 'answer' ? reply.entryId : null,
      replyLocale: trace.match?.locale ?? reply.locale,
      score: round(trace.score),
      lexical: round(trace.match?.ranked[0]?.lexical ?? null),
      classifier: round(trace.match?.ranked[0]?.classifier ?? null),
      alsoAsked: trace.match?.alsoAsked?.entry.id ?? null,
      suggestions: reply.suggestions.map((s) => s.id),
      crisisKind: reply.crisisKind,
      flagged: reply.flagged,
      reasons: trace.decision.reasons.map((r) => r.rule),
    };
    results.push(result);

    const text = turns[turns.length - 1];
    const check = (tally: Tally, ok: boolean, expected: string, got: string) => {
      tally.total++;
      if (ok) tally.correct++;
      else summary.misses.push({ line: i + 1, text, expected, got });
    };
    if (line.expect) {
      const got = result.type === 'answer' ? (result.entryId as string) : result.type === 'fallback' ? 'fallback' : 'crisis';
      check(summary.top1, line.expect.includes(got), line.expect.join('|'), got);
      const { inScope, offTopic } = summary.quality;
      if (line.expect.includes('fallback')) {
        offTopic.total++;
        if (got === 'fallback') offTopic.declined++;
      } else {
        inScope.total++;
        if (line.expect.includes(got)) inScope.right++;
        else if (result.type === 'answer') inScope.wrong++;
        else inScope.fallback++;
      }
    }
    if (line.expectRisk)
      check(summary.risk, line.expectRisk.includes(result.risk), `risk ${line.expectRisk.join('|')}`, `risk ${result.risk}`);
    if (line.expectKind && line.expectRisk?.length === 1 && line.expectRisk[0] === 'crisis') {
      check(summary.kind, line.expectKind === result.crisisKind, `kind ${line.expectKind}`, `kind ${result.crisisKind}`);
    }
    if (typeof line.expectFlagged === 'boolean') {
      check(summary.flagged, line.expectFlagged === result.flagged, `flagged ${line.expectFlagged}`, `flagged ${result.flagged}`);
    }
  }
  return { results, summary };
}

const round = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

export function accuracy(t: Tally): number {
  return t.total === 0 ? 1 : t.correct / t.total;
}

/** "in scope 221: right 0.778, wrong 0.081, fell back 0.140; off topic 47: declined 0.936" */
export function formatQuality({ inScope, offTopic }: Quality): string {
  const rate = (n: number, total: number) => (total ? n / total : 0).toFixed(3);
  const parts: string[] = [];
  if (inScope.total)
    parts.push(
      `in scope ${inScope.total}: right ${rate(inScope.right, inScope.total)}, wrong ${rate(inScope.wrong, inScope.total)}, fell back ${rate(inScope.fallback, inScope.total)}`,
    );
  if (offTopic.total) parts.push(`off topic ${offTopic.total}: declined ${rate(offTopic.declined, offTopic.total)}`);
  return parts.join('; ');
}

export function formatSummary(s: BatchSummary): string {
  const line = (name: string, t: Tally) => (t.total ? `${name}: ${accuracy(t).toFixed(3)} (${t.correct}/${t.total})\n` : '');
  const quality = formatQuality(s.quality);
  let out =
    `lines: ${s.lines}\n` +
    (quality ? `${quality}\n` : '') +
    line('top-1 accuracy', s.top1) +
    line('risk accuracy', s.risk) +
    line('crisis kind accuracy', s.kind) +
    line('flag accuracy', s.flagged);
  for (const m of s.misses) out += `  miss line ${m.line}: expected ${m.expected}, got ${m.got}: ${m.text}\n`;
  return out;
}
