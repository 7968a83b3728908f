import { AudioSection } from '../devices/AudioSection';
import { ShortcutSettings } from '../shortcuts/ShortcutSettings';
import { StandingMasksSection } from '../screen-recording/StandingMasksSection';

/** Settings kept on this machine: one section component per concern, each in its own feature folder. */
export function SettingsView() {
  return (
    <div className="settings-view" data-testid="settings-view">
      <h1 className="visually-hidden">Settings</h1>
      <AudioSection />
      <ShortcutSettings />
      <StandingMasksSection />
    </div>
  );
}
