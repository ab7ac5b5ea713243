import type { UiStrings } from '../shared/strings.js';
import { h, withAction, type VNode } from './view.js';

/**
 * The panel's fixed frame (header, tools, banner, log, starters, composer, live regions), built once.
 * Everything that changes is drawn into it by the other modules.
 */

export interface PanelParts {
  panel: HTMLElement;
  header: HTMLElement;
  statusLine: HTMLElement;
  statusText: HTMLElement;
  contactButton: HTMLButtonElement;
  clearButton: HTMLButtonElement;
  confirmBar: HTMLElement;
  confirmYes: HTMLButtonElement;
  banner: HTMLElement;
  log: HTMLElement;
  history: HTMLElement;
  starters: HTMLElement;
  typing: HTMLElement;
  form: HTMLFormElement;
  input: HTMLTextAreaElement;
  inputError: HTMLElement;
  disclaimer: HTMLElement;
  announcer: HTMLElement;
  alert: HTMLElement;
}

export function buildPanel(t: UiStrings, title: string, starters: string[], render: (node: VNode) => HTMLElement): PanelParts {
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
        // Hidden until the clinic's configuration shows a way to reach a person (contact.ts).
        h('button', { type: 'button', class: 'kw-tool kw-contact-btn', hidden: '' }, t.talkToPerson),
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
          // No maxlength: the browser would cut a long paste silently; the composer refuses it instead.
          h('textarea', { id: 'kw-input', rows: '2', placeholder: t.placeholder, autocomplete: 'off' }),
          h('button', { type: 'submit', class: 'kw-send' }, t.send),
        ),
        h('p', { id: 'kw-input-error', class: 'kw-input-error', hidden: '' }),
      ),
      h('p', { class: 'kw-disclaimer' }, t.disclaimer),
      // The one polite announcer (the newest bot message) and the assertive one (a crisis notice).
      h('div', { class: 'kw-sr kw-announcer', 'aria-live': 'polite', 'aria-atomic': 'true' }),
      h('div', { class: 'kw-sr kw-alert', role: 'alert' }),
    ),
  );
  const $ = <T extends HTMLElement>(selector: string) => panel.querySelector(selector) as T;
  const parts: PanelParts = {
    panel,
    header: $('.kw-header'),
    statusLine: $('.kw-status'),
    statusText: $('.kw-status-text'),
    contactButton: $('.kw-contact-btn'),
    clearButton: $('.kw-clear-btn'),
    confirmBar: $('.kw-confirm'),
    confirmYes: $('.kw-confirm-yes'),
    banner: $('.kw-banner'),
    log: $('.kw-log'),
    history: $('.kw-history'),
    starters: $('.kw-starters'),
    typing: $('.kw-typing'),
    form: $('.kw-composer'),
    input: $('#kw-input'),
    inputError: $('#kw-input-error'),
    disclaimer: $('.kw-disclaimer'),
    announcer: $('.kw-announcer'),
    alert: $('.kw-alert'),
  };

  // When large text leaves little height (200% text on a small phone), a sticky header and composer
  // would cover the conversation: then they scroll with it instead.
  const fitLayout = () =>
    panel.classList.toggle('kw-tight', parts.header.offsetHeight + parts.form.offsetHeight > panel.clientHeight * 0.7);
  if (typeof ResizeObserver === 'function') new ResizeObserver(fitLayout).observe(panel);
  return parts;
}
