import type { WidgetOptions } from './options.js';

/**
 * How the loader (widget.js) and the app (app.<hash>.js) meet. The loader inserts the app's script
 * and listens on that element for MOUNT_EVENT, whose `detail` is the app's mount function: no global
 * besides the public `KapChat` API is ever created.
 */

export const MOUNT_EVENT = 'kapchat:mount';
export const HOST_TAG = 'kap-chat';
export const API_NAME = 'KapChat';

export interface HostContext {
  shadow: ShadowRoot;
  /** The widget's root element inside the shadow root; the app appends its panel here. */
  root: HTMLElement;
  launcher: HTMLButtonElement;
  options: WidgetOptions;
  setUnread(count: number): void;
}

export interface WidgetApp {
  open(): void;
  /** Closes the panel; focus goes back to the launcher when it was inside the widget. */
  close(): void;
  toggle(): void;
  ask(text: string): void;
}

export type MountWidget = (context: HostContext) => WidgetApp;

/** The public API, `window.KapChat`. */
export interface PublicApi {
  open(): void;
  close(): void;
  ask(text: string): void;
}
