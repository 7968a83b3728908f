import { callNoticeLines, chatNoticeLines, privacyNoticeLine, type NoticeFacts } from '../lib/notices';

/**
 * Before a chat or call: what applies under the org's own settings (lib/notices.ts builds every
 * sentence). Without the settings nothing is claimed; the customer is told it could not be loaded.
 */
export function NoticesPanel(props: {
  notices: NoticeFacts | null;
  loaded: boolean;
  /** The consent fieldset right below links the notice already. */
  privacyBelow?: boolean;
  /** The year of birth typed says the customer could be under 13: their call is not recorded. */
  child?: boolean;
}) {
  const { notices, loaded, privacyBelow = false, child = false } = props;
  if (!loaded) return null;
  if (!notices) {
    return (
      <section className="widget-notices" data-testid="widget-notices" aria-label="What applies">
        <p className="widget-hint" data-testid="widget-notices-missing">
          We could not load how calls and chats are handled. Reload the page to read it before you start.
        </p>
      </section>
    );
  }
  const privacy = privacyBelow ? null : privacyNoticeLine(notices);
  return (
    <section className="widget-notices" data-testid="widget-notices" aria-label="What applies">
      <h2>Before you start</h2>
      <p className="widget-notices-kind">On a call</p>
      <ul data-testid="widget-notices-call">
        {callNoticeLines(notices, { child }).map((line) => (
          <li key={line.id} data-testid={`widget-notice-call-${line.id}`}>
            {line.text}
          </li>
        ))}
      </ul>
      <p className="widget-notices-kind">In a chat</p>
      <ul data-testid="widget-notices-chat">
        {chatNoticeLines(notices).map((line) => (
          <li key={line.id} data-testid={`widget-notice-chat-${line.id}`}>
            {line.text}
          </li>
        ))}
      </ul>
      {privacy && <PrivacyLine line={privacy} />}
    </section>
  );
}

/** The privacy notice's link with its version (and date once it has one): in the start panel and the footer. */
export function PrivacyLine({ line }: { line: NonNullable<ReturnType<typeof privacyNoticeLine>> }) {
  return (
    <p className="widget-hint" data-testid="widget-notices-privacy">
      {line.before}
      <a href={line.url} target="_blank" rel="noopener noreferrer">
        {line.link}
      </a>
      {line.after}
    </p>
  );
}
