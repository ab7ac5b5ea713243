import type { Locale, Resource } from '../shared/protocol.js';
import { DEFAULT_CRISIS_RESOURCES, type UiStrings } from '../shared/strings.js';
import type { Announcer } from './announcer.js';
import type { Store } from './store.js';
import { bannerView, type VNode } from './view.js';

/**
 * The crisis banner, at the top of the panel. It shows the crisis resources
 * - once the conversation is flagged, for the rest of it;
 * - once a refused message showed distress (the refusal carried resources), for the rest of it;
 * - while the server cannot be reached (see reachability.ts), with a line that says so.
 * The resources are the ones the server last gave (its order: 911 first when the danger is immediate),
 * or, before the server gave any, the ones built into the widget.
 */
export interface Banner {
  /** The resources of the newest reply that carried any. */
  useResources(resources: unknown): void;
  /** The conversation was cleared: back to the built-in resources. */
  reset(): void;
}

export function createBanner(
  store: Store,
  t: UiStrings,
  locale: Locale,
  el: HTMLElement,
  render: (node: VNode) => HTMLElement,
  announcer: Announcer,
): Banner {
  let resources: Resource[] | null = null;
  /** What is drawn now, so an unchanged list is not redrawn (focus on a link would be lost). */
  let drawn = '';

  function draw(): void {
    const { flagged, distress, unreachable } = store.state;
    const shown = flagged || distress || unreachable;
    el.hidden = !shown;
    if (!shown) {
      el.textContent = '';
      drawn = '';
      return;
    }
    // No reply with resources yet (the server never answered, or a resumed flag without them): the built-in ones.
    const list = resources ?? DEFAULT_CRISIS_RESOURCES[locale];
    const intro = unreachable ? t.unreachable : t.bannerText;
    const key = [intro, ...list.map((r) => `${r.href} ${r.label}`)].join('\n');
    if (key === drawn) return;
    drawn = key;
    el.replaceChildren(render(bannerView(list, t, intro)));
  }

  store.watch((previous, state) => {
    if (previous.flagged === state.flagged && previous.distress === state.distress && previous.unreachable === state.unreachable)
      return;
    draw();
    // Said once, politely: the visitor is told calmly why the numbers appeared (a flag has its own alert).
    if (state.unreachable && !previous.unreachable && state.open)
      announcer.say(`${t.unreachable} ${Array.from(el.querySelectorAll('a'), (a) => a.textContent).join(', ')}.`);
  });
  return {
    useResources(list) {
      if (!Array.isArray(list) || !list.length) return;
      resources = list as Resource[];
      draw();
    },
    reset() {
      resources = null;
      draw();
    },
  };
}
