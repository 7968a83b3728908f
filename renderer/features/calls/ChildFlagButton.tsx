import { useState } from 'react';
import { useAppStore } from '../../app/store-context';

/**
 * `child-flag` (privacy-model.md, principle 7): the agent learned the customer is under 13. Asks
 * first, saying what happens, then tells the server; from the server's answer on (the summary's
 * `childProtected`) the panel says the conversation is child-protected. Used by the call and chat panels.
 */
export function ChildFlagButton({ interactionId, childProtected, over }: { interactionId: string; childProtected: boolean; over: boolean }) {
  const sendRequest = useAppStore((s) => s.sendRequest);
  const [confirming, setConfirming] = useState(false);
  if (childProtected) {
    return (
      <p className="child-protected small" data-testid="child-protected" role="status">
        Child-protected: not recorded, name and e-mail cleared; the conversation is deleted everywhere when it ends.
      </p>
    );
  }
  if (over) return null;
  if (!confirming) {
    return (
      <button type="button" className="button-secondary" data-testid="child-flag" onClick={() => setConfirming(true)}>
        Under 13
      </button>
    );
  }
  return (
    <div className="child-flag-confirm" role="alertdialog" aria-label="The customer is under 13" data-testid="child-flag-confirm">
      <p className="small">
        The customer is under 13? The recording stops and what was recorded is deleted, the customer's name and e-mail are cleared now, and
        when the conversation ends its transcript and notes are deleted from the server and from this app.
      </p>
      <button
        type="button"
        className="button-danger"
        data-testid="child-flag-confirm-yes"
        onClick={() => {
          setConfirming(false);
          sendRequest({ type: 'interaction.child_flag', interactionId });
        }}
      >
        Yes, under 13
      </button>
      <button type="button" className="button-secondary" data-testid="child-flag-cancel" onClick={() => setConfirming(false)}>
        Cancel
      </button>
    </div>
  );
}
