import { AudioSection } from '../devices/AudioSection';

/** Settings: one section per concern, each in its own feature folder. */
export function SettingsView() {
  return (
    <div className="settings-view" data-testid="settings-view">
      <h2>Settings</h2>
      <AudioSection />
    </div>
  );
}
