import { useEffect, useMemo, useRef } from 'preact/hooks';
import { toDom, toggleMore } from '../../widget/src/app/dom.js';
import { replyView, type Action } from '../../widget/src/app/view.js';
import { palette } from '../../widget/src/shared/color.js';
import type { Reply } from '../../widget/src/shared/protocol.js';
import { UI_STRINGS } from '../../widget/src/shared/strings.js';
import { parseReplyHtml } from './reply-html.js';

/**
 * A reply shown exactly as the widget shows it: the widget's own view code (`replyView`, `toDom`) and
 * stylesheet, in a shadow root of its own like the widget's, so neither the console's styles nor its
 * ids mix with it. Its HTML goes through the console's one Trusted Types policy (reply-html.ts).
 */

let sheet: CSSStyleSheet | null = null;
function widgetSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(__WIDGET_CSS__);
  }
  return sheet;
}

let previews = 0;

interface Props {
  reply: Reply;
  /** Names the preview for screen readers ("Preview of the answer"). */
  label: string;
  /** A suggestion chip was pressed (the tester asks that question next); chips do nothing without it. */
  onAsk?(text: string): void;
}

export function WidgetReply({ reply, label, onAsk }: Props) {
  const hostRef = useRef<HTMLDivElement>(null);
  const key = useMemo(() => `pv${++previews}`, []);
  const askRef = useRef(onAsk);
  askRef.current = onAsk;

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const shadow = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
    shadow.adoptedStyleSheets = [widgetSheet()];
    // The widget's default colours (a clinic without `data-accent`), as its loader sets them.
    const colors = palette(null);
    host.style.setProperty('--kw-accent', colors.accent);
    host.style.setProperty('--kw-on-accent', colors.onAccent);
    host.style.setProperty('--kw-ink', colors.ink);

    const locale = reply.locale === 'es' ? 'es' : 'en';
    const actions = new WeakMap<Element, Action>();
    const root = document.createElement('div');
    root.className = 'kw-root';
    root.lang = locale;
    root.dir = 'ltr';
    const log = document.createElement('div');
    log.className = 'kw-log';
    const view = replyView({ ...reply, conversationId: reply.conversationId ?? 'preview' }, UI_STRINGS[locale], key);
    if (view) log.appendChild(toDom(view, actions, parseReplyHtml));
    root.appendChild(log);
    shadow.replaceChildren(root);

    const click = (event: Event) => {
      const button = (event.target as Element | null)?.closest?.('button');
      const action = button ? actions.get(button) : undefined;
      if (!button || !action) return;
      if (action.type === 'more') toggleMore(button, action);
      else if (action.type === 'ask') askRef.current?.(action.text);
    };
    shadow.addEventListener('click', click);
    return () => shadow.removeEventListener('click', click);
  }, [reply, key]);

  return <div class="widget-preview" role="group" aria-label={label} ref={hostRef} />;
}
