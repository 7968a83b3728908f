import { useAlertServices } from '../alerts/alerts-services';
import { useAudioPrefs } from './use-audio-prefs';

/** Tells the agent a chosen device went away and the default is used instead. */
export function DeviceNotice() {
  const services = useAlertServices();
  const notice = useAudioPrefs((s) => s.notice);
  if (!services || !notice) return null;
  return (
    <p className="device-notice" role="alert" data-testid="device-fallback-notice">
      {notice}
      <button type="button" className="link-button" aria-label="Dismiss" onClick={() => services.prefs.dismissNotice()}>
        ×
      </button>
    </p>
  );
}
