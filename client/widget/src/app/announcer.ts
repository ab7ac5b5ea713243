/**
 * What screen readers hear besides the focused element: one polite announcer (the newest bot message,
 * status changes, errors) and one assertive alert (a crisis reply only). One of each, so messages are
 * never read twice by overlapping live regions.
 */

const ANNOUNCE_DELAY_MS = 60;

export interface Announcer {
  /** Says `text` politely; replaces what was waiting to be said. */
  say(text: string): void;
  /** Says `text` assertively (the crisis reply), and silences the polite announcer. */
  alert(text: string): void;
}

export function createAnnouncer(polite: HTMLElement, assertive: HTMLElement): Announcer {
  let politeTimer: ReturnType<typeof setTimeout> | undefined;
  let alertTimer: ReturnType<typeof setTimeout> | undefined;
  // Emptied first, filled a moment later: screen readers notice the change even when the text repeats.
  const later = (el: HTMLElement, text: string, timer: ReturnType<typeof setTimeout> | undefined) => {
    clearTimeout(timer);
    el.textContent = '';
    return setTimeout(() => (el.textContent = text), ANNOUNCE_DELAY_MS);
  };
  return {
    say(text) {
      politeTimer = later(polite, text, politeTimer);
    },
    alert(text) {
      clearTimeout(politeTimer);
      polite.textContent = '';
      alertTimer = later(assertive, text, alertTimer);
    },
  };
}
