import { useState } from 'react';
import { useAppStore } from '../../app/store-context';
import { noticeDate } from './notice-date';
import { selectPolicy, selectPolicyBanner } from './policy-slice';
import './policy.css';

/** A newer privacy notice that is not a material change: announced, readable, dismissible; nothing is blocked. */
export function PolicyUpdatedBanner() {
  const banner = useAppStore(selectPolicyBanner);
  const notice = useAppStore((s) => selectPolicy(s).notice);
  const dismiss = useAppStore((s) => s.dismissPolicyBanner);
  const [open, setOpen] = useState(false);
  if (!banner) return null;
  return (
    <div className="policy-banner" role="status" data-testid="policy-updated-banner">
      <span>Privacy notice updated on {noticeDate(banner.effectiveAt)}</span>
      {notice && (
        <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? 'Hide' : 'Read it'}
        </button>
      )}
      <button type="button" className="link-button" aria-label="Dismiss" data-testid="policy-updated-dismiss" onClick={dismiss}>
        ×
      </button>
      {open && notice && <div className="policy-text">{notice.text}</div>}
    </div>
  );
}
