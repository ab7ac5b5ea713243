import type { Locale, Resource } from '../shared/protocol.js';
import { DEFAULT_CRISIS_RESOURCES, type UiStrings } from '../shared/strings.js';
import type { Store } from './store.js';
import { bannerView, type VNode } from './view.js';

/**
 * The crisis banner: once a conversation is flagged, the resources stay at the top of the panel for
 * the rest of it, in the order the server last gave them (911 first when the danger is immediate).
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
): Banner {
  let resources: Resource[] | null = null;
  /** What is drawn now, so an unchanged list is not redrawn (focus on a link would be lost). */
  let drawn = '';

  function draw(): void {
    const shown = store.state.flagged;
    el.hidden = !shown;
    if (!shown) {
      el.textContent = '';
      drawn = '';
      return;
    }
    // A conversation resumed as flagged may have no reply with resources: the built-in ones then.
    const list = resources ?? DEFAULT_CRISIS_RESOURCES[locale];
    const key = list.map((r) => `${r.href} ${r.label}`).join('\n');
    if (key === drawn) return;
    drawn = key;
    el.replaceChildren(render(bannerView(list, t)));
  }

  store.watch((previous, state) => {
    if (previous.flagged !== state.flagged) draw();
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
