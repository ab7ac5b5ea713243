import { useState } from 'preact/hooks';
import { askNotificationPermission, chime, notificationPermission, type NotificationPermissionState } from './alerts.js';

/**
 * Desktop notifications, turned on by the person (never asked on load), and a test of the chime that
 * every new flag plays.
 */
export function AlertsControl() {
  const [permission, setPermission] = useState<NotificationPermissionState>(notificationPermission);

  const turnOn = async () => {
    chime();
    setPermission(await askNotificationPermission());
  };

  return (
    <div class="alerts">
      {permission === 'default' && (
        <button type="button" onClick={turnOn}>
          Turn on desktop notifications
        </button>
      )}
      {permission === 'granted' && <p class="alerts-state">Desktop notifications on</p>}
      {permission === 'denied' && <p class="alerts-state warn">Notifications blocked by the browser</p>}
      <button type="button" class="quiet" onClick={() => chime()}>
        Test sound
      </button>
    </div>
  );
}
