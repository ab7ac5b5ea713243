import { palette } from '../shared/color.js';
import {
  API_NAME,
  HOST_TAG,
  MOUNT_EVENT,
  type HostContext,
  type MountWidget,
  type PublicApi,
  type WidgetApp,
} from '../shared/contract.js';
import { readOptions } from '../shared/options.js';
import { DEFAULT_CRISIS_RESOURCES, LAUNCHER_STRINGS } from '../shared/strings.js';

/**
 * widget.js, the loader a clinic embeds. It reads the snippet's data attributes, draws the launcher in
 * a shadow root with the widget's one stylesheet, defines `window.KapChat`, and fetches the rest of the
 * widget (app.<hash>.js, with socket.io-client) on first open or once the page is idle.
 */

const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text) node.textContent = text;
  return node;
}

function chatIcon(): SVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'kw-icon');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', 'M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H10l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z');
  svg.appendChild(path);
  return svg;
}

/** Constructable stylesheets where available; otherwise one <style> element, with the page's nonce if given. */
function addStyles(shadow: ShadowRoot, css: string, nonce: string | null): void {
  try {
    if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      shadow.adoptedStyleSheets = [sheet];
      return;
    }
  } catch {
    // fall back to <style>
  }
  const style = document.createElement('style');
  if (nonce) style.nonce = nonce;
  style.textContent = css;
  shadow.appendChild(style);
}

function install(): void {
  const globals = window as unknown as Record<string, unknown>;
  if (globals[API_NAME]) return; // the snippet is on the page twice: the first one wins
  const script =
    (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[src*="widget.js"]');
  const src = script?.src || location.href;
  const options = readOptions(
    (name) => script?.getAttribute(`data-${name}`),
    src,
    location.href,
    navigator.languages?.length ? navigator.languages : [navigator.language],
  );
  const nonce = options.nonce ?? (script?.nonce || null);
  const strings = LAUNCHER_STRINGS[options.locale];

  const host = document.createElement(HOST_TAG);
  const shadow = host.attachShadow({ mode: 'open' });
  const colors = palette(options.accent);
  addStyles(
    shadow,
    `:host{--kw-accent:${colors.accent};--kw-on-accent:${colors.onAccent};--kw-ink:${colors.ink}}${__KAPCHAT_CSS__}`,
    nonce,
  );

  const root = el('div', options.position === 'left' ? 'kw-root kw-left' : 'kw-root');
  root.setAttribute('lang', options.locale);
  root.setAttribute('dir', 'ltr');
  const launcher = el('button', 'kw-launcher');
  launcher.type = 'button';
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-haspopup', 'dialog');
  const unreadText = el('span', 'kw-sr');
  const badge = el('span', 'kw-badge');
  badge.setAttribute('aria-hidden', 'true');
  badge.hidden = true;
  launcher.append(
    chatIcon(),
    el('span', 'kw-launcher-label', strings.label),
    el('span', 'kw-sr', strings.labelRest),
    unreadText,
    badge,
  );
  // If the rest of the widget cannot load (the bot's server is down, say), the crisis resources built
  // into the widget are shown with the message: a visitor in crisis is never left with nothing.
  const loadError = el('div', 'kw-load-error');
  loadError.hidden = true;
  const message = el('p', '', strings.loadError);
  message.id = 'kw-load-error';
  const links = el('ul', 'kw-reslinks');
  for (const resource of DEFAULT_CRISIS_RESOURCES[options.locale]) {
    const link = el('a', '', resource.label);
    link.href = resource.href;
    const item = el('li', '');
    item.append(link);
    links.append(item);
  }
  loadError.append(message, el('p', '', strings.help), links);
  root.append(launcher, loadError);
  shadow.appendChild(root);

  const context: HostContext = {
    shadow,
    root,
    launcher,
    options,
    setUnread(count) {
      badge.textContent = count > 9 ? '9+' : count > 0 ? String(count) : '';
      badge.hidden = count <= 0;
      unreadText.textContent = count > 0 ? strings.unread(count) : '';
    },
  };

  let app: Promise<WidgetApp> | null = null;
  function loadApp(): Promise<WidgetApp> {
    if (app) return app;
    const loading = new Promise<WidgetApp>((resolve, reject) => {
      const tag = document.createElement('script');
      tag.src = new URL(`widget/${__KAPCHAT_APP__}`, options.assets).href;
      tag.async = true;
      if (nonce) tag.nonce = nonce;
      let mounted = false;
      tag.addEventListener(MOUNT_EVENT, (event) => {
        if (mounted) return;
        mounted = true;
        try {
          resolve((event as CustomEvent<MountWidget>).detail(context));
        } catch (err) {
          reject(err);
        }
      });
      tag.addEventListener('load', () => mounted || reject(new Error('the widget did not start')));
      tag.addEventListener('error', () => {
        tag.remove();
        reject(new Error('the widget could not be loaded'));
      });
      (document.head ?? document.documentElement).appendChild(tag);
    });
    app = loading;
    loading.catch(() => {
      app = null; // the next click tries again
    });
    return loading;
  }

  function withApp(use: (widget: WidgetApp) => void): void {
    launcher.setAttribute('aria-busy', 'true');
    loadApp().then(
      (widget) => {
        launcher.removeAttribute('aria-busy');
        loadError.hidden = true;
        launcher.removeAttribute('aria-describedby');
        use(widget);
      },
      () => {
        launcher.removeAttribute('aria-busy');
        loadError.hidden = false;
        launcher.setAttribute('aria-describedby', message.id);
      },
    );
  }

  launcher.addEventListener('click', () => withApp((widget) => widget.toggle()));

  const api: PublicApi = Object.freeze({
    open: () => withApp((widget) => widget.open()),
    close: () =>
      void app?.then(
        (widget) => widget.close(),
        () => undefined,
      ),
    ask: (text: string) => {
      if (typeof text === 'string' && text.trim()) {
        withApp((widget) => {
          widget.open();
          widget.ask(text);
        });
      }
    },
  });
  globals[API_NAME] = api;

  const attach = () => (document.body ?? document.documentElement).appendChild(host);
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach, { once: true });

  // Fetch the rest once the page is idle, so the first open is instant.
  const prefetch = () => void loadApp().catch(() => undefined);
  const whenIdle = () =>
    typeof window.requestIdleCallback === 'function'
      ? window.requestIdleCallback(prefetch, { timeout: 5000 })
      : setTimeout(prefetch, 2000);
  if (document.readyState === 'complete') whenIdle();
  else window.addEventListener('load', whenIdle, { once: true });
}

install();
