import type { Reply, ResumeAck, StaffEvent, Turn } from '../shared/protocol.js';
import type { UiStrings } from '../shared/strings.js';
import type { Announcer } from './announcer.js';
import { spokenText } from './dom.js';
import { invitesFollowUp } from './followup.js';
import type { PanelParts } from './panel.js';
import { deliveryNote } from './state.js';
import type { Store } from './store.js';
import { noticeView, replyView, staffView, turnView, visitorView, h, withAction, type VNode } from './view.js';

/**
 * The conversation as shown in the log: the visitor's bubbles with their delivery notes, the replies,
 * the care team's messages, and the history of a resumed conversation. Keeps focus and the polite
 * announcer in step with what is added.
 */
export interface Conversation {
  /** Shows a message the visitor just sent. */
  showVisitor(id: string, text: string): void;
  showReply(id: string | null, reply: Reply): void;
  showStaffTurn(role: 'staff' | 'notice', event: unknown): void;
  applyResume(ack: ResumeAck): void;
  /** A notice in the log (a cleared or ended conversation). */
  notice(text: string): void;
  /** Appends an element the log did not make itself (the contact card) and brings its start into view. */
  add(el: HTMLElement): void;
  /** Scrolls to the newest message. */
  scrollToEnd(): void;
  /** Whether anything was said in this conversation on this page. */
  readonly hasMessages: boolean;
  /** Forgets everything shown (the conversation was cleared). */
  reset(): void;
}

export interface ConversationDeps {
  store: Store;
  t: UiStrings;
  parts: PanelParts;
  shadow: ShadowRoot;
  announcer: Announcer;
  render(node: VNode): HTMLElement;
  nextKey(): string;
  /** Resources carried by a reply (live or resumed): the banner keeps the newest. */
  resources(list: unknown): void;
  /** Puts the follow-up form into a crisis reply that invites it. */
  offerFollowUp(crisis: HTMLElement): void;
}

function turnKey(role: string, at: unknown, text: unknown): string {
  return `${role}|${String(at)}|${String(text)}`;
}

export function createConversation(deps: ConversationDeps): Conversation {
  const { store, t, parts, shadow, announcer, render } = deps;
  const { log, history, starters, input, disclaimer } = parts;
  /** The visitor's bubbles by client message id, with the delivery note they show. */
  const bubbles = new Map<string, { el: HTMLElement; note: string }>();
  /** Staff messages and notices already shown (live or from a resume). */
  const seen = new Set<string>();
  /** The log already shows this conversation (resumed, or started on this page). */
  let historyShown = false;
  let hasMessages = false;

  function append(el: HTMLElement, show: 'end' | 'start' = 'end'): void {
    log.appendChild(el);
    scrollTo(show === 'start' ? el : null);
  }

  /** Scrolls the log to the end, or to the start of a long message so it is read from its top. */
  function scrollTo(el: HTMLElement | null): void {
    const end = log.scrollHeight - log.clientHeight;
    log.scrollTop = el ? Math.min(Math.max(0, el.offsetTop - 8), end) : end;
  }

  function markHasMessages(): void {
    hasMessages = true;
    // Focus must not vanish with the starter buttons: it goes to the input instead.
    const focusInStarters = starters.contains(shadow.activeElement);
    starters.hidden = true;
    if (focusInStarters) input.focus();
  }

  function setNote(id: string, kind: string): void {
    const bubble = bubbles.get(id);
    if (!bubble || bubble.note === kind) return;
    bubble.note = kind;
    const note = bubble.el.querySelector('.kw-note') as HTMLElement;
    note.textContent = '';
    note.hidden = !kind;
    if (kind === 'queued') note.append(t.queued);
    else if (kind === 'relayed') note.append(t.relayed);
    else if (kind === 'failed' || kind === 'rateLimited') {
      const text = kind === 'rateLimited' ? t.rateLimited : t.failed;
      note.append(
        `${text} `,
        render(withAction(h('button', { type: 'button', class: 'kw-retry' }, t.retry), { type: 'retry', id })),
      );
      announcer.say(text);
    }
  }

  function showVisitor(id: string, text: string): void {
    const el = render(visitorView(text, t, id));
    bubbles.set(id, { el, note: '' });
    append(el);
    markHasMessages();
    const message = store.state.outbox.find((o) => o.id === id);
    if (message) setNote(id, deliveryNote(store.state, message));
  }

  function showReply(id: string | null, reply: Reply): void {
    historyShown = true;
    deps.resources(reply.resources);
    if (id) setNote(id, reply.type === 'relayed' ? 'relayed' : '');
    if (reply.disclaimer) disclaimer.textContent = reply.disclaimer;
    // A relayed message (a person from the care team is here) has no text of its own: no bubble.
    const view = replyView(reply, t, deps.nextKey());
    if (!view) return;
    const el = render(view);
    append(el, 'start');
    if (invitesFollowUp(reply)) deps.offerFollowUp(el);
    markHasMessages();
    // The crisis notice is announced assertively, once; the polite announcer stays quiet.
    if (reply.type === 'crisis') announcer.alert(spokenText(el));
    else announcer.say(spokenText(el));
  }

  function showStaffTurn(role: 'staff' | 'notice', event: unknown): void {
    const e = event as StaffEvent;
    if (!e || typeof e !== 'object' || typeof e.text !== 'string' || e.conversationId !== store.state.conversationId) return;
    const key = turnKey(role, e.at, e.text);
    if (seen.has(key)) return;
    seen.add(key);
    const el = render(role === 'staff' ? staffView(e.text, t) : noticeView(e.text));
    append(el);
    markHasMessages();
    store.dispatch({ type: 'incoming' });
    announcer.say(spokenText(el));
  }

  function applyResume(ack: ResumeAck): void {
    const turns: Turn[] = Array.isArray(ack.turns) ? ack.turns : [];
    for (const turn of turns) if (turn && turn.role === 'bot') deps.resources(turn.reply?.resources);
    store.dispatch({
      type: 'resumed',
      conversationId: ack.conversationId,
      flagged: ack.flagged === true,
      staffPresent: ack.staffPresent === true,
    });
    if (!historyShown) {
      // First resume on this page: the conversation so far, above anything typed meanwhile. Not announced.
      historyShown = true;
      const fragment = document.createDocumentFragment();
      let inviting: HTMLElement | null = null;
      for (const turn of turns) {
        if (!turn || typeof turn !== 'object') continue;
        if (turn.role === 'staff' || turn.role === 'notice') seen.add(turnKey(turn.role, turn.at, turn.text));
        const view = turnView(turn, t, deps.nextKey());
        const el = view ? fragment.appendChild(render(view)) : null;
        if (el && turn.role === 'bot' && invitesFollowUp(turn.reply)) inviting = el;
        if (turn.role === 'bot' && turn.reply?.disclaimer) disclaimer.textContent = turn.reply.disclaimer;
      }
      if (inviting) deps.offerFollowUp(inviting);
      history.appendChild(fragment);
      if (history.childElementCount) markHasMessages();
      scrollTo(null);
    } else {
      // A reconnection: only what the care team said meanwhile is new (messages are re-sent by id).
      for (const turn of turns) {
        if (turn && (turn.role === 'staff' || turn.role === 'notice'))
          showStaffTurn(turn.role, { ...turn, conversationId: ack.conversationId });
      }
    }
  }

  // Each unanswered message's bubble says whether it waits for the connection or failed.
  store.watch((_previous, state) => {
    for (const message of state.outbox) setNote(message.id, deliveryNote(state, message));
  });

  return {
    showVisitor,
    showReply,
    showStaffTurn,
    applyResume,
    notice: (text) => append(render(noticeView(text))),
    add: (el) => append(el, 'start'),
    scrollToEnd: () => scrollTo(null),
    get hasMessages() {
      return hasMessages;
    },
    reset() {
      history.replaceChildren();
      while (log.lastChild && log.lastChild !== history) log.removeChild(log.lastChild);
      bubbles.clear();
      seen.clear();
      historyShown = false;
      hasMessages = false;
      starters.hidden = false;
      disclaimer.textContent = t.disclaimer;
    },
  };
}
