/**
 * Keeps keyboard focus inside the open panel where it covers the whole screen (the same small
 * viewports as in widget.css): there the page's links are hidden behind it, and Tab from the last
 * control must not move focus to them (WCAG 2.4.11). Tab and Shift+Tab wrap around; Escape still
 * closes. On larger screens the panel is a non-modal window in a corner: the page beside it stays
 * visible and usable, so focus moves on to it as usual.
 */

export const FULL_SCREEN = '(max-width: 480px), (max-height: 520px)';

/** The controls Tab reaches in `container`, in order (visible, enabled, not taken out of the tab order). */
function tabbable(container: HTMLElement): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>('a[href], button, textarea, input, select, [tabindex]')).filter(
    (el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0,
  );
}

export function containFocusWhenFullScreen(panel: HTMLElement, shadow: ShadowRoot): void {
  const fullScreen = typeof matchMedia === 'function' ? matchMedia(FULL_SCREEN) : null;
  // Full screen, the panel is modal for assistive technology too: the page behind it is out of reach.
  const mark = () => (fullScreen?.matches ? panel.setAttribute('aria-modal', 'true') : panel.removeAttribute('aria-modal'));
  mark();
  fullScreen?.addEventListener('change', mark);

  panel.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey || !fullScreen?.matches) return;
    const controls = tabbable(panel);
    if (!controls.length) return;
    const first = controls[0];
    const last = controls[controls.length - 1];
    const active = shadow.activeElement;
    if (event.shiftKey ? active === first || !panel.contains(active) : active === last) {
      event.preventDefault();
      (event.shiftKey ? last : first).focus();
    }
  });
}
