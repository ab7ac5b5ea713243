import type { HostContext, WidgetApp } from '../shared/contract.js';
import { UI_STRINGS } from '../shared/strings.js';
import { createAnnouncer } from './announcer.js';
import { createBanner } from './banner.js';
import { createClear } from './clear.js';
import { createComposer } from './composer.js';
import { createConnection } from './connection.js';
import { createContact } from './contact.js';
import { createConversation } from './conversation.js';
import { toDom, toggleMore } from './dom.js';
import { createFeedback } from './feedback.js';
import { containFocusWhenFullScreen } from './focus.js';
import { createFollowUpForm } from './followup-form.js';
import { buildPanel } from './panel.js';
import { watchReachability } from './reachability.js';
import { initialState } from './state.js';
import { readStoredAccess, storeAccess } from './storage.js';
import { createStore } from './store.js';
import { watchStatus } from './status.js';
import type { Action, VNode } from './view.js';

/**
 * Mounts the widget's panel into the loader's shadow root and wires its parts together. Each part
 * (connection, conversation, banner, composer, ...) has its own module; this one only connects them,
 * routes clicks, and opens and closes the panel.
 */
export function mountWidget(ctx: HostContext): WidgetApp {
  const { options, root, launcher, shadow } = ctx;
  const locale = options.locale;
  const t = UI_STRINGS[locale];
  /** The action of each button drawn from the view (ask, retry, feedback), found again on click. */
  const actions = new WeakMap<Element, Action>();
  const render = (node: VNode) => toDom(node, actions) as HTMLElement;
  let keys = 0;
  const nextKey = () => `kw-m${++keys}`;

  const stored = readStoredAccess();
  const store = createStore(initialState(stored.id, stored.token));
  const parts = buildPanel(t, options.title ?? t.title, options.starters.length ? options.starters : t.starters, render);
  const { panel, input } = parts;
  const announcer = createAnnouncer(parts.announcer, parts.alert);

  // Watchers run in this order on every change: status, banner, reachability, badge and storage, delivery notes.
  watchStatus(store, t, parts.statusLine, parts.statusText, parts.typing, announcer);
  const banner = createBanner(store, t, locale, parts.banner, render, announcer);
  watchReachability(store);
  store.watch((previous, state) => {
    if (previous.unread !== state.unread) ctx.setUnread(state.unread);
    if (previous.conversationId !== state.conversationId || previous.resumeToken !== state.resumeToken)
      storeAccess(state.conversationId, state.resumeToken);
  });

  // The connection reports to the conversation; both are created before either is used.
  const connection = createConnection(store, options.server, locale, {
    reply: (id, reply) => conversation.showReply(id, reply),
    refused: (ack) => banner.useResources(ack?.resources),
    resumed: (ack) => conversation.applyResume(ack),
    unknownConversation: () => {
      if (conversation.hasMessages) conversation.notice(t.notRestored);
    },
    staff: (role, event) => conversation.showStaffTurn(role, event),
  });
  const followUp = createFollowUpForm(store, t, shadow, connection, announcer, render);
  const conversation = createConversation({
    store,
    t,
    parts,
    shadow,
    announcer,
    render,
    nextKey,
    resources: (list) => banner.useResources(list),
    offerFollowUp: (crisis) => followUp.offer(crisis),
  });
  const composer = createComposer(store, t, parts, conversation, connection, announcer);
  const sendFeedback = createFeedback(store, t, connection);
  const contact = createContact(parts.contactButton, options.server, t, conversation, announcer, render, nextKey);
  const clear = createClear(store, t, parts, connection, conversation, banner, followUp, announcer);

  function run(action: Action, el: Element): void {
    if (action.type === 'ask') {
      composer.send(action.text);
    } else if (action.type === 'more') {
      toggleMore(el, action);
    } else if (action.type === 'retry') {
      if (store.dispatch({ type: 'retry', id: action.id })) {
        connection.ensure();
        connection.pump();
      }
    } else {
      sendFeedback(action, el);
    }
  }

  panel.addEventListener('click', (event) => {
    for (let el = event.target as Element | null; el && el !== panel; el = el.parentElement) {
      const action = actions.get(el);
      if (action) {
        event.preventDefault();
        return run(action, el);
      }
      if (el.classList.contains('kw-close')) return close();
      if (el.classList.contains('kw-contact-btn')) return void contact.show();
      if (el.classList.contains('kw-clear-btn')) return clear.ask();
      if (el.classList.contains('kw-confirm-yes')) return void clear.clear();
      if (el.classList.contains('kw-confirm-no')) return clear.cancel();
    }
  });
  panel.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    // Escape inside the confirmation cancels it; anywhere else it closes the panel.
    if (!parts.confirmBar.hidden && parts.confirmBar.contains(event.target as Node)) clear.cancel();
    else close();
  });

  function open(): void {
    const wasOpen = store.state.open;
    store.dispatch({ type: 'open' });
    ctx.setUnread(0);
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    root.classList.add('kw-is-open');
    connection.ensure();
    void contact.refresh();
    if (!wasOpen) conversation.scrollToEnd();
    input.focus({ preventScroll: true });
  }

  function close(): void {
    if (!store.state.open) return;
    const focusInside = shadow.activeElement !== null;
    store.dispatch({ type: 'close' });
    clear.hide();
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    root.classList.remove('kw-is-open');
    if (focusInside) launcher.focus();
  }

  containFocusWhenFullScreen(panel, shadow);

  root.appendChild(panel);
  launcher.setAttribute('aria-controls', panel.id);
  // A conversation in progress (another page of this site, a reload) continues right away.
  if (store.state.conversationId) connection.ensure();

  return {
    open,
    close,
    toggle: () => (store.state.open ? close() : open()),
    ask: (text: string) => composer.ask(text),
  };
}
