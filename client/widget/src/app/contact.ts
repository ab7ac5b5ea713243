import type { ClinicConfig } from '../shared/protocol.js';
import type { UiStrings } from '../shared/strings.js';
import type { Announcer } from './announcer.js';
import { CONTROL_TIMEOUT_MS } from './connection.js';
import type { Conversation } from './conversation.js';
import { spokenText } from './dom.js';
import { contactView, offersContact, type VNode } from './view.js';

/**
 * "Talk to a person": the clinic's contact details from GET /api/widget/config, as a card in the log.
 * The button is offered only once the configuration shows a way to reach a person (a phone number, an
 * email or a website): a button with that name must not lead to nothing.
 */
export function createContact(
  button: HTMLElement,
  server: string,
  t: UiStrings,
  conversation: Conversation,
  announcer: Announcer,
  render: (node: VNode) => HTMLElement,
  nextKey: () => string,
) {
  let config: Promise<ClinicConfig | null> | null = null;

  function load(): Promise<ClinicConfig | null> {
    if (!config) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), CONTROL_TIMEOUT_MS);
      config = fetch(new URL('api/widget/config', server).href, {
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

  return {
    /** Offers the button when the configuration has contact details (asked for again until it loads). */
    async refresh(): Promise<void> {
      button.hidden = !offersContact(await load(), t);
    },
    async show(): Promise<void> {
      const config = await load();
      const el = render(contactView(config, t, nextKey()));
      button.hidden = !offersContact(config, t);
      conversation.add(el);
      announcer.say(spokenText(el));
    },
  };
}
