import { ChildProtectionPolicyScreen } from './ChildProtectionPolicyScreen';
import { ConsentSettingsScreen } from './ConsentSettingsScreen';
import { MonitoringPolicyScreen } from './MonitoringPolicyScreen';
import { PrivacyNoticesScreen } from './PrivacyNoticesScreen';
import { NoticeCampaignScreen } from './NoticeCampaignScreen';
import { RecordingPolicyScreen } from './RecordingPolicyScreen';
import { ScreenRecordingPolicyScreen } from './ScreenRecordingPolicyScreen';
import { RedactionPolicyScreen } from './RedactionPolicyScreen';
import { ReportSettingsScreen } from './ReportSettingsScreen';
import { SensitiveKeywordsScreen } from './SensitiveKeywordsScreen';
import { QueuesScreen } from './QueuesScreen';
import { UsersScreen } from './UsersScreen';

/** Org settings for admins (signed-in users with the admin role): users and queues, the recording, monitoring, redaction and child-protection policies, the privacy notice and consent purposes, notices to customers by e-mail. */
export function AdminView() {
  return (
    <div className="admin-view" data-testid="admin-view">
      <section className="card" aria-labelledby="admin-users-title">
        <div className="card-header">
          <h2 id="admin-users-title">Users</h2>
          <p className="muted small">Staff accounts: create, disable, reset a password, role and queues. Every change is audited.</p>
        </div>
        <UsersScreen />
      </section>
      <section className="card" aria-labelledby="admin-queues-title">
        <div className="card-header">
          <h2 id="admin-queues-title">Queues</h2>
          <p className="muted small">Name, members, dispositions, offer timeout and chats per agent; routing uses a change at once</p>
        </div>
        <QueuesScreen />
      </section>
      <section className="card" aria-labelledby="admin-title">
        <div className="card-header">
          <h2 id="admin-title">Call recording</h2>
          <p className="muted small">The org&apos;s policy for recording calls</p>
        </div>
        <RecordingPolicyScreen />
      </section>
      <section className="card" aria-labelledby="admin-screen-recording-title">
        <div className="card-header">
          <h2 id="admin-screen-recording-title">Screen recording</h2>
          <p className="muted small">When the agent&apos;s screen is recorded with a call, and who may view it</p>
        </div>
        <ScreenRecordingPolicyScreen />
      </section>
      <section className="card" aria-labelledby="admin-monitoring-title">
        <div className="card-header">
          <h2 id="admin-monitoring-title">Live call monitoring</h2>
          <p className="muted small">Who may listen to calls as they happen, and what the agent is told</p>
        </div>
        <MonitoringPolicyScreen />
      </section>
      <section className="card" aria-labelledby="admin-redaction-title">
        <div className="card-header">
          <h2 id="admin-redaction-title">Redaction</h2>
          <p className="muted small">Identifiers removed from what customers and agents type, before anything keeps or shows it</p>
        </div>
        <RedactionPolicyScreen />
      </section>
      <section className="card" aria-labelledby="admin-sensitive-keywords-title">
        <div className="card-header">
          <h2 id="admin-sensitive-keywords-title">Sensitive keywords</h2>
          <p className="muted small">Words that suggest to the agent marking a chat as holding sensitive data</p>
        </div>
        <SensitiveKeywordsScreen />
      </section>
      <section className="card" aria-labelledby="admin-child-protection-title">
        <div className="card-header">
          <h2 id="admin-child-protection-title">Children under 13</h2>
          <p className="muted small">Whether the widget asks a neutral year of birth, so nothing identifying is kept about a child</p>
        </div>
        <ChildProtectionPolicyScreen />
      </section>
      <section className="card" aria-labelledby="admin-consent-title">
        <div className="card-header">
          <h2 id="admin-consent-title">Privacy notice and consent</h2>
          <p className="muted small">What the widget shows before a conversation, and what customers may agree to</p>
        </div>
        <ConsentSettingsScreen />
      </section>
      <section className="card" aria-labelledby="admin-policy-title" data-testid="admin-policy">
        <div className="card-header">
          <h2 id="admin-policy-title">Policy</h2>
          <p className="muted small">Privacy notice versions for staff and the widget: publish, and see who accepted which</p>
        </div>
        <PrivacyNoticesScreen />
      </section>
      <section className="card" aria-labelledby="admin-notice-title">
        <div className="card-header">
          <h2 id="admin-notice-title">Notify customers by e-mail</h2>
          <p className="muted small">A short notice of a material change to every customer whose e-mail address is on record</p>
        </div>
        <NoticeCampaignScreen />
      </section>
      <section className="card" aria-labelledby="admin-statistics-title">
        <div className="card-header">
          <h2 id="admin-statistics-title">Anonymous statistics</h2>
          <p className="muted small">How small a group may be before it is hidden from figures used outside the org</p>
        </div>
        <ReportSettingsScreen />
      </section>
    </div>
  );
}

export const selectIsAdmin = (s: { auth: { user: { role: string } | null } }): boolean => s.auth.user?.role === 'admin';
