/**
 * Telling a person that a flag arrived: a short chime (generated with WebAudio, no sound file), a
 * browser notification when they allowed them, and the tab title. Browsers start audio only after the
 * person has interacted with the page, so the audio context is created or resumed on their first
 * click or key press. A notification never carries what the visitor wrote.
 */

let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (context) return context;
  try {
    context = new AudioContext();
  } catch {
    return null;
  }
  return context;
}

/** Arms the sound on the first interaction (browsers block audio before one). */
export function armSoundOnFirstGesture(): void {
  const arm = () => {
    const ctx = audio();
    if (ctx && ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
    window.removeEventListener('pointerdown', arm, true);
    window.removeEventListener('keydown', arm, true);
  };
  window.addEventListener('pointerdown', arm, true);
  window.addEventListener('keydown', arm, true);
}

/** Two short rising tones (about half a second), loud enough to notice, soft at the edges. */
export function chime(): void {
  const ctx = audio();
  if (!ctx) return;
  if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
  const start = ctx.currentTime + 0.02;
  [660, 880].forEach((frequency, i) => {
    const at = start + i * 0.22;
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.4, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.2);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.21);
  });
}

export type NotificationPermissionState = NotificationPermission | 'unsupported';

export function notificationPermission(): NotificationPermissionState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Asks for permission to show notifications: only ever from a button the person pressed. */
export async function askNotificationPermission(): Promise<NotificationPermissionState> {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.requestPermission();
}

/** A browser notification (when allowed); clicking it brings the console forward and runs `open`. */
export function notify(title: string, body: string, tag: string, open: () => void): void {
  if (notificationPermission() !== 'granted') return;
  try {
    const notification = new Notification(title, { body, tag, requireInteraction: true });
    notification.onclick = () => {
      window.focus();
      open();
      notification.close();
    };
  } catch {
    // Some browsers allow notifications only from a service worker: the sound and the title still tell.
  }
}
