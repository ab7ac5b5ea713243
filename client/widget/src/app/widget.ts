import { io, type Socket } from 'socket.io-client';
import type { HostContext, WidgetApp } from '../shared/contract.js';
import {
  isErrorAck,
  isReply,
  type ClinicConfig,
  type Reply,
  type Resource,
  type ResumeAck,
  type StaffEvent,
  type Turn,
} from '../shared/protocol.js';
import { DEFAULT_CRISIS_RESOURCES, UI_STRINGS } from '../shared/strings.js';
import { spokenText, toDom } from './dom.js';
import { followUpError, followUpView, invitesFollowUp } from './followup.js';
import { deliveryNote, initialState, isWaiting, MAX_TEXT, nextToSend, reduce, type State, type WidgetEvent } from './state.js';
import {
  bannerView,
  contactView,
  h,
  noticeView,
  replyView,
  staffView,
  turnView,
  visitorView,
  withAction,
  type Action,
  type VNode,
} from './view.js';

/** The only thing the widget stores: the server-issued conversation id and its secret, for this tab's session. */
export const STORAGE_KEY = 'kapchat.conversation';
const ACK_TIMEOUT_MS = 15_000;
const CONTROL_TIMEOUT_MS = 8_000;
const SETTLE_MS = 4_000;
const ANNOUNCE_DELAY_MS = 60;

function sessionStore(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage blocked (sandboxed frame, privacy settings): the conversation lasts one page
  }
}

interface StoredAccess {
  id: string | null;
  token: string | null;
}

function readStoredAccess(): StoredAccess {
  try {
    const raw = sessionStore()?.getItem(STORAGE_KEY) ?? null;
    const value = raw && raw.length <= 500 ? (JSON.parse(raw) as Partial<StoredAccess>) : null;
    return typeof value?.id === 'string' && typeof value.token === 'string' ? { id: value.id, token: value.token } : { id: null, token: null };
  } catch {
    return { id: null, token: null };
  }
}

function storeAccess(id: string | null, token: string | null): void {
  try {
    const store = sessionStore();
    if (id && token) store?.setItem(STORAGE_KEY, JSON.stringify({ id, token }));
    else store?.removeItem(STORAGE_KEY);
  } catch {
    // see sessionStore()
  }
}

/** A client message id: 32 random hex digits. */
function newId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function isResume(value: unknown): value is ResumeAck {
  return !!value && typeof value === 'object' && typeof (value as ResumeAck).conversationId === 'string';
}

function turnKey(role: string, at: unknown, text: unknown): string {
  return `${role}|${String(at)}|${String(text)}`;
}

export function mountWidget(ctx: HostContext): WidgetApp {
  const { options, root, launcher, shadow } = ctx;
  const locale = options.locale;
  const t = UI_STRINGS[locale];
  const actions = new WeakMap<Element, Action>();
  const render = (node: VNode) => toDom(node, actions) as HTMLElement;

  const stored = readStoredAccess();
  let state: State = initialState(stored.id, stored.token);
  let socket: Socket | null = null;
  /** Bumped on every connect and disconnect: callbacks of an older connection are ignored. */
  let epoch = 0;
  let keys = 0;
  const nextKey = () => `kw-m${++keys}`;
  /** The visitor's bubbles by client message id, with the delivery note they show. */
  const bubbles = new Map<string, { el: HTMLElement; note: string }>();
  /** Staff messages and notices already shown (live or from a resume). */
  const seen = new Set<string>();
  /** The log already shows this conversation (resumed, or started on this page). */
  let historyShown = false;
  let hasMessages = false;
  let bannerResources: Resource[] | null = null;
  let bannerKey = '';
  let settleTimer: ReturnType<typeof setTimeout> | undefined;
  let announceTimer: ReturnType<typeof setTimeout> | undefined;
  let alertTimer: ReturnType<typeof setTimeout> | undefined;
  let config: Promise<ClinicConfig | null> | null = null;
  /** The one "leave a phone number or email" form (or its confirmation), in the newest crisis reply inviting it. */
  let followUp: HTMLElement | null = null;

  // ---- The panel ------------------------------------------------------------------------------
  const title = options.title ?? t.title;
  const starters = options.starters.length ? options.starters : t.starters;
  const panel = render(
    h(
      'div',
      { class: 'kw-panel', id: 'kw-panel', role: 'dialog', 'aria-labelledby': 'kw-title', hidden: '' },
      h(
        'div',
        { class: 'kw-header' },
        h(
          'div',
          { class: 'kw-heading' },
          h('h2', { id: 'kw-title' }, title),
          h(
            'p',
            { class: 'kw-status', 'data-state': 'idle' },
            h('span', { class: 'kw-dot', 'aria-hidden': 'true' }),
            h('span', { class: 'kw-status-text' }, t.subtitle),
          ),
        ),
        h('button', { type: 'button', class: 'kw-close', 'aria-label': t.close }, h('span', { 'aria-hidden': 'true' }, '×')),
      ),
      h(
        'div',
        { class: 'kw-tools' },
        h('button', { type: 'button', class: 'kw-tool kw-contact-btn' }, t.talkToPerson),
        h('button', { type: 'button', class: 'kw-tool kw-clear-btn' }, t.clear),
      ),
      h(
        'div',
        { class: 'kw-confirm', role: 'group', 'aria-labelledby': 'kw-confirm-text', hidden: '' },
        h('p', { id: 'kw-confirm-text' }, t.clearConfirm),
        h('button', { type: 'button', class: 'kw-tool kw-confirm-yes' }, t.clearYes),
        h('button', { type: 'button', class: 'kw-tool kw-confirm-no' }, t.clearNo),
      ),
      h('div', { class: 'kw-banner', role: 'region', 'aria-label': t.bannerLabel, hidden: '' }),
      h(
        'div',
        { class: 'kw-log', role: 'log', 'aria-live': 'off', 'aria-labelledby': 'kw-title', tabindex: '0' },
        h('div', { class: 'kw-history' }),
      ),
      h(
        'div',
        { class: 'kw-starters' },
        h('p', { id: 'kw-starters-intro' }, t.startersIntro),
        h(
          'ul',
          { 'aria-labelledby': 'kw-starters-intro' },
          starters.map((q) =>
            h('li', {}, withAction(h('button', { type: 'button', class: 'kw-chip' }, q), { type: 'ask', text: q })),
          ),
        ),
      ),
      h(
        'div',
        { class: 'kw-typing', 'aria-hidden': 'true', hidden: '' },
        h('span', {}),
        h('span', {}),
        h('span', {}),
        h('em', {}, t.typing),
      ),
      h(
        'form',
        { class: 'kw-composer' },
        h('label', { for: 'kw-input', class: 'kw-label' }, t.inputLabel),
        h(
          'div',
          { class: 'kw-row' },
          h('textarea', {
            id: 'kw-input',
            rows: '2',
            maxlength: String(MAX_TEXT),
            placeholder: t.placeholder,
            autocomplete: 'off',
          }),
          h('button', { type: 'submit', class: 'kw-send' }, t.send),
        ),
      ),
      h('p', { class: 'kw-disclaimer' }, t.disclaimer),
      // The one polite announcer (the newest bot message) and the assertive one (a crisis notice).
      h('div', { class: 'kw-sr kw-announcer', 'aria-live': 'polite', 'aria-atomic': 'true' }),
      h('div', { class: 'kw-sr kw-alert', role: 'alert' }),
    ),
  );
  const $ = <T extends HTMLElement>(selector: string) => panel.querySelector(selector) as T;
  const log = $('.kw-log');
  const history = $('.kw-history');
  const statusLine = $('.kw-status');
  const statusText = $('.kw-status-text');
  const banner = $('.kw-banner');
  const startersBox = $('.kw-starters');
  const typing = $('.kw-typing');
  const form = $<HTMLFormElement>('.kw-composer');
  const input = $<HTMLTextAreaElement>('#kw-input');
  const disclaimer = $('.kw-disclaimer');
  const announcer = $('.kw-announcer');
  const alertBox = $('.kw-alert');
  const confirmBar = $('.kw-confirm');
  const clearButton = $<HTMLButtonElement>('.kw-clear-btn');

  // When large text leaves little height (200% text on a small phone), a sticky header and composer
  // would cover the conversation: then they scroll with it instead.
  const header = $('.kw-header');
  const fitLayout = () => panel.classList.toggle('kw-tight', header.offsetHeight + form.offsetHeight > panel.clientHeight * 0.7);
  if (typeof ResizeObserver === 'function') new ResizeObserver(fitLayout).observe(panel);

  // ---- State -----------------------------------------------------------------------------------
  function dispatch(event: WidgetEvent): boolean {
    const previous = state;
    state = reduce(state, event);
    if (state === previous) return false;
    sync(previous);
    return true;
  }

  function sync(previous: State): void {
    if (previous.connection !== state.connection || previous.staffPresent !== state.staffPresent) updateStatus();
    if (previous.connection !== state.connection && state.open && previous.connection !== 'idle') {
      // Connection changes are status messages (WCAG 4.1.3): they go through the same single announcer.
      if (state.connection === 'offline') announce(t.status.offline);
      if (state.connection === 'reconnected') announce(t.status.reconnected);
    }
    if (previous.flagged !== state.flagged) updateBanner();
    typing.hidden = !isWaiting(state);
    if (previous.unread !== state.unread) ctx.setUnread(state.unread);
    if (previous.conversationId !== state.conversationId || previous.resumeToken !== state.resumeToken)
      storeAccess(state.conversationId, state.resumeToken);
    for (const message of state.outbox) setNote(message.id, deliveryNote(state, message));
  }

  function updateStatus(): void {
    const c = state.connection;
    statusLine.setAttribute('data-state', c);
    statusText.textContent =
      c === 'offline'
        ? t.status.offline
        : c === 'connecting'
          ? t.status.connecting
          : c === 'reconnected'
            ? t.status.reconnected
            : state.staffPresent
              ? t.staffPresent
              : t.subtitle;
  }

  function updateBanner(): void {
    banner.hidden = !state.flagged;
    if (!state.flagged) {
      banner.textContent = '';
      bannerKey = '';
      return;
    }
    const resources = bannerResources ?? DEFAULT_CRISIS_RESOURCES[locale];
    const key = resources.map((r) => `${r.href} ${r.label}`).join('\n');
    if (key === bannerKey) return;
    bannerKey = key;
    banner.replaceChildren(render(bannerView(resources, t)));
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
      announce(text);
    }
  }

  // ---- The log ---------------------------------------------------------------------------------
  function announce(text: string): void {
    clearTimeout(announceTimer);
    announcer.textContent = '';
    // A short pause makes screen readers notice a change even when the text repeats.
    announceTimer = setTimeout(() => (announcer.textContent = text), ANNOUNCE_DELAY_MS);
  }

  function alertNow(text: string): void {
    clearTimeout(alertTimer);
    alertBox.textContent = '';
    alertTimer = setTimeout(() => (alertBox.textContent = text), ANNOUNCE_DELAY_MS);
  }

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
    const focusInStarters = startersBox.contains(shadow.activeElement);
    startersBox.hidden = true;
    if (focusInStarters) input.focus();
  }

  function showReply(reply: Reply): void {
    if (reply.disclaimer) disclaimer.textContent = reply.disclaimer;
    const view = replyView(reply, t, nextKey());
    if (!view) return;
    const el = render(view);
    append(el, 'start');
    if (invitesFollowUp(reply)) offerFollowUp(el);
    markHasMessages();
    if (reply.type === 'crisis') {
      // The crisis notice is announced assertively, once; the polite announcer stays quiet.
      clearTimeout(announceTimer);
      announcer.textContent = '';
      alertNow(spokenText(el));
    } else {
      announce(spokenText(el));
    }
  }

  function showStaffTurn(role: 'staff' | 'notice', event: unknown): void {
    const e = event as StaffEvent;
    if (!e || typeof e !== 'object' || typeof e.text !== 'string' || e.conversationId !== state.conversationId) return;
    const key = turnKey(role, e.at, e.text);
    if (seen.has(key)) return;
    seen.add(key);
    const el = render(role === 'staff' ? staffView(e.text, t) : noticeView(e.text));
    append(el);
    markHasMessages();
    dispatch({ type: 'incoming' });
    announce(spokenText(el));
  }

  function applyResume(ack: ResumeAck): void {
    const turns: Turn[] = Array.isArray(ack.turns) ? ack.turns : [];
    for (const turn of turns) {
      if (turn && turn.role === 'bot' && Array.isArray(turn.reply?.resources) && turn.reply.resources.length) {
        bannerResources = turn.reply.resources;
      }
    }
    dispatch({
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
        const view = turnView(turn, t, nextKey());
        const el = view ? fragment.appendChild(render(view)) : null;
        if (el && turn.role === 'bot' && invitesFollowUp(turn.reply)) inviting = el;
        if (turn.role === 'bot' && turn.reply?.disclaimer) disclaimer.textContent = turn.reply.disclaimer;
      }
      if (inviting) offerFollowUp(inviting);
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
    updateBanner();
  }

  // ---- The connection --------------------------------------------------------------------------
  function ensureSocket(): void {
    if (socket) return;
    const base = new URL(options.server);
    const s = io(`${base.origin}/chat`, {
      path: `${base.pathname}socket.io`,
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
      timeout: 10_000,
      withCredentials: false,
      autoConnect: false,
    });
    socket = s;
    s.on('connect', onConnect);
    s.on('disconnect', (reason) => {
      epoch++;
      clearTimeout(settleTimer);
      dispatch({ type: 'disconnected' });
      // The server closed this connection on purpose (a restart, for instance): try again shortly.
      if (reason === 'io server disconnect') setTimeout(() => s.connect(), 1000);
    });
    s.on('connect_error', () => dispatch({ type: 'disconnected' }));
    s.on('staff:joined', (e: StaffEvent) => {
      if (e?.conversationId === state.conversationId) dispatch({ type: 'staff', present: true });
      showStaffTurn('notice', e);
    });
    s.on('staff:message', (e: StaffEvent) => showStaffTurn('staff', e));
    s.on('staff:left', (e: StaffEvent) => {
      if (e?.conversationId === state.conversationId) dispatch({ type: 'staff', present: false });
      showStaffTurn('notice', e);
    });
    dispatch({ type: 'connecting' });
    s.connect();
  }

  function onConnect(): void {
    const s = socket as Socket;
    const mine = ++epoch;
    dispatch({ type: 'connected' });
    clearTimeout(settleTimer);
    if (state.connection === 'reconnected') settleTimer = setTimeout(() => dispatch({ type: 'settled' }), SETTLE_MS);
    const id = state.conversationId;
    if (!id) return pump();
    // On every connection: the conversation's recent turns and state (a crisis flag, a staff member).
    s.timeout(CONTROL_TIMEOUT_MS).emit('resume', { conversationId: id, resumeToken: state.resumeToken }, (err: Error | null, ack: unknown) => {
      if (mine !== epoch || state.conversationId !== id) return;
      if (err) {
        dispatch({ type: 'resumeFailed' });
      } else if (isErrorAck(ack)) {
        if (ack.error.code === 'unknown_conversation') {
          dispatch({ type: 'unknownConversation' });
          if (hasMessages) append(render(noticeView(t.notRestored)));
        } else {
          dispatch({ type: 'resumeFailed' });
        }
      } else if (isResume(ack)) {
        applyResume(ack);
      } else {
        dispatch({ type: 'resumeFailed' });
      }
      pump();
    });
  }

  /** Sends the next queued message, one at a time, in order. */
  function pump(): void {
    const s = socket;
    const next = nextToSend(state);
    if (!s || !s.connected || !next) return;
    dispatch({ type: 'sending', id: next.id });
    const attempt = state.outbox.find((o) => o.id === next.id)?.attempts ?? 0;
    const payload: Record<string, string> = { text: next.text, locale, clientMessageId: next.id };
    if (state.conversationId && state.resumeToken) {
      payload.conversationId = state.conversationId;
      payload.resumeToken = state.resumeToken;
    }
    s.timeout(ACK_TIMEOUT_MS).emit('message', payload, (err: Error | null, ack: unknown) => {
      if (err) {
        dispatch({ type: 'timedOut', id: next.id, attempt });
      } else if (isReply(ack)) {
        if (dispatch({ type: 'acked', id: next.id, reply: ack })) {
          historyShown = true;
          if (Array.isArray(ack.resources) && ack.resources.length) {
            bannerResources = ack.resources;
            updateBanner();
          }
          setNote(next.id, ack.type === 'relayed' ? 'relayed' : '');
          showReply(ack);
        }
      } else {
        dispatch({ type: 'rejected', id: next.id, code: isErrorAck(ack) ? String(ack.error.code) : 'internal_error' });
      }
      pump();
    });
  }

  // ---- Actions ---------------------------------------------------------------------------------
  function submit(text: string): boolean {
    const clean = String(text ?? '')
      .trim()
      .slice(0, MAX_TEXT);
    if (!clean) return false;
    const id = newId();
    if (!dispatch({ type: 'submit', id, text: clean })) return false;
    const el = render(visitorView(clean, t, id));
    bubbles.set(id, { el, note: '' });
    append(el);
    markHasMessages();
    const message = state.outbox.find((o) => o.id === id);
    if (message) setNote(id, deliveryNote(state, message));
    ensureSocket();
    pump();
    return true;
  }

  function sendFeedback(action: Extract<Action, { type: 'feedback' }>, button: Element): void {
    const group = button.closest('.kw-feedback');
    const note = group?.querySelector('.kw-fb-note');
    const s = socket;
    const done = (ok: boolean) => {
      if (ok) group?.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b === button)));
      if (note) note.textContent = ok ? t.feedbackThanks : t.feedbackError;
    };
    if (!s?.connected) return done(false);
    const { conversationId, entryId, helpful } = action;
    const resumeToken = state.resumeToken;
    s.timeout(CONTROL_TIMEOUT_MS).emit('feedback', { conversationId, resumeToken, entryId, helpful }, (err: Error | null, ack: unknown) =>
      done(!err && !!ack && (ack as { ok?: unknown }).ok === true),
    );
  }

  /** Puts the follow-up form at the end of a crisis reply that invites it (moving it there, typed text and all). */
  function offerFollowUp(crisis: HTMLElement): void {
    followUp ??= createFollowUp();
    const focused = followUp.contains(shadow.activeElement) ? (shadow.activeElement as HTMLElement) : null;
    crisis.appendChild(followUp);
    focused?.focus({ preventScroll: true });
  }

  function createFollowUp(): HTMLElement {
    const box = render(followUpView(t));
    const form = box.querySelector('form') as HTMLFormElement;
    const field = box.querySelector('input') as HTMLInputElement;
    const button = box.querySelector('button') as HTMLButtonElement;
    const error = box.querySelector('.kw-followup-error') as HTMLElement;
    const done = box.querySelector('.kw-followup-done') as HTMLElement;
    let busy = false;
    // The error is both described by the field and said once by the polite announcer; what was typed stays.
    const fail = (code: string | null) => {
      const text = followUpError(code, t);
      error.textContent = text;
      error.hidden = false;
      field.setAttribute('aria-invalid', 'true');
      field.setAttribute('aria-describedby', error.id);
      announce(text);
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (busy) return;
      const contact = field.value.trim();
      const conversationId = state.conversationId;
      const s = socket;
      if (!contact) return fail('invalid_request');
      if (!conversationId) return fail('unknown_conversation');
      if (!s?.connected) return fail(null);
      busy = true;
      button.setAttribute('aria-disabled', 'true');
      s.timeout(CONTROL_TIMEOUT_MS).emit('contact', { conversationId, resumeToken: state.resumeToken, contact }, (err: Error | null, ack: unknown) => {
        busy = false;
        button.removeAttribute('aria-disabled');
        if (followUp !== box) return; // the conversation was cleared meanwhile
        if (err || !ack || (ack as { ok?: unknown }).ok !== true) return fail(isErrorAck(ack) ? String(ack.error.code) : null);
        // Focus must not vanish with the form: it goes to the confirmation, which is then read.
        const focusInside = form.contains(shadow.activeElement);
        form.hidden = true;
        done.hidden = false;
        if (focusInside) done.focus();
        else announce(t.followUpDone);
      });
    });
    return box;
  }

  function loadConfig(): Promise<ClinicConfig | null> {
    if (!config) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), CONTROL_TIMEOUT_MS);
      config = fetch(new URL('api/widget/config', options.server).href, {
        credentials: 'omit',
        headers: { accept: 'application/json' },
        signal: controller.signal,
      })
        .then((res) => (res.ok ? res.json() : null))
        .then((body) =>
          body && typeof body === 'object' && body.clinic && typeof body.clinic === 'object' ? (body as ClinicConfig) : null,
        )
        .catch(() => null)
        .then((result) => {
          clearTimeout(timer);
          if (!result) config = null; // try again next time
          return result;
        });
    }
    return config;
  }

  async function showContact(): Promise<void> {
    const el = render(contactView(await loadConfig(), t, nextKey()));
    append(el, 'start');
    announce(spokenText(el));
  }

  async function clearConversation(): Promise<void> {
    confirmBar.hidden = true;
    const id = state.conversationId;
    const s = socket;
    if (id && s?.connected) {
      const resumeToken = state.resumeToken;
      await new Promise<void>((resolve) =>
        s.timeout(CONTROL_TIMEOUT_MS).emit('clear', { conversationId: id, resumeToken }, () => resolve()),
      );
    }
    dispatch({ type: 'cleared' });
    storeAccess(null, null);
    history.replaceChildren();
    while (log.lastChild && log.lastChild !== history) log.removeChild(log.lastChild);
    bubbles.clear();
    seen.clear();
    historyShown = false;
    hasMessages = false;
    bannerResources = null;
    followUp = null;
    updateBanner();
    startersBox.hidden = false;
    disclaimer.textContent = t.disclaimer;
    append(render(noticeView(t.cleared)));
    announce(t.cleared);
    input.focus();
  }

  function run(action: Action, el: Element): void {
    if (action.type === 'ask') {
      submit(action.text);
    } else if (action.type === 'retry') {
      if (dispatch({ type: 'retry', id: action.id })) {
        ensureSocket();
        pump();
      }
    } else {
      sendFeedback(action, el);
    }
  }

  // ---- Events ----------------------------------------------------------------------------------
  panel.addEventListener('click', (event) => {
    for (let el = event.target as Element | null; el && el !== panel; el = el.parentElement) {
      const action = actions.get(el);
      if (action) {
        event.preventDefault();
        return run(action, el);
      }
      if (el.classList.contains('kw-close')) return close();
      if (el.classList.contains('kw-contact-btn')) return void showContact();
      if (el.classList.contains('kw-clear-btn')) {
        confirmBar.hidden = false;
        return ($('.kw-confirm-yes') as HTMLButtonElement).focus();
      }
      if (el.classList.contains('kw-confirm-yes')) return void clearConversation();
      if (el.classList.contains('kw-confirm-no')) {
        confirmBar.hidden = true;
        return clearButton.focus();
      }
    }
  });
  panel.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    if (!confirmBar.hidden && confirmBar.contains(event.target as Node)) {
      confirmBar.hidden = true;
      clearButton.focus();
    } else {
      close();
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submit(input.value)) input.value = '';
  });
  input.addEventListener('keydown', (event) => {
    // Enter sends, Shift+Enter starts a new line (not while an input method is composing).
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  window.addEventListener('online', () => {
    if (socket && !socket.connected) socket.connect();
  });
  window.addEventListener('offline', () => {
    // Do not wait for a heartbeat to notice: show "offline" now and reconnect when the network is back.
    if (socket?.connected) socket.io.engine?.close();
  });

  // ---- Open and close --------------------------------------------------------------------------
  function open(): void {
    const wasOpen = state.open;
    dispatch({ type: 'open' });
    ctx.setUnread(0);
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    root.classList.add('kw-is-open');
    ensureSocket();
    if (!wasOpen) scrollTo(null);
    input.focus({ preventScroll: true });
  }

  function close(): void {
    if (!state.open) return;
    const focusInside = shadow.activeElement !== null;
    dispatch({ type: 'close' });
    confirmBar.hidden = true;
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    root.classList.remove('kw-is-open');
    if (focusInside) launcher.focus();
  }

  root.appendChild(panel);
  launcher.setAttribute('aria-controls', panel.id);
  updateStatus();
  // A conversation in progress (another page of this site, a reload) continues right away.
  if (state.conversationId) ensureSocket();

  return {
    open,
    close,
    toggle: () => (state.open ? close() : open()),
    ask: (text: string) => void submit(text),
  };
}
