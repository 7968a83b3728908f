import { useState } from 'react';
import { type AlertPermission } from './web-notifier';
import { useAlertServices } from './alerts-services';

/**
 * The web agent's "Turn on offer alerts" in the top bar: the browser's permission prompt comes only
 * from this click, when the agent knows why it is asked. The click also lets the ringtone play.
 * The desktop app needs no permission (its notifications come from main), so it shows nothing.
 */
export function OfferAlertsToggle() {
  const services = useAlertServices();
  const notifier = services?.webNotifier ?? null;
  const [permission, setPermission] = useState<AlertPermission>(() => notifier?.permission() ?? 'unsupported');
  const [asking, setAsking] = useState(false);
  if (!services || !notifier || permission === 'unsupported') return null;

  if (permission === 'granted') {
    return (
      <span className="offer-alerts-state muted small" data-testid="offer-alerts-state" data-state="on">
        Offer alerts on
      </span>
    );
  }
  if (permission === 'denied') {
    return (
      <span className="offer-alerts-state muted small" data-testid="offer-alerts-state" data-state="blocked" title="Allow notifications for this site in the browser's settings to get offer alerts.">
        Offer alerts blocked by the browser
      </span>
    );
  }
  return (
    <button
      type="button"
      className="button-ghost"
      data-testid="offer-alerts-enable"
      disabled={asking}
      title="Shows a notification for each new offer while Veildesk is in the background"
      onClick={() => {
        setAsking(true);
        void services.ringtone.unlock();
        void notifier.requestPermission().then((answer) => {
          setPermission(answer);
          setAsking(false);
        });
      }}
    >
      Turn on offer alerts
    </button>
  );
}
