import { useEffect } from 'react';
import { useAppStore } from '../../app/store-context';
import { type Notice, selectNotices } from './workspace-slice';

const NOTICE_MS = 10_000;

function NoticeItem({ notice }: { notice: Notice }) {
  const dismiss = useAppStore((s) => s.dismissNotice);
  useEffect(() => {
    const timer = setTimeout(() => dismiss(notice.id), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [dismiss, notice.id]);
  return (
    <li className={`notice notice-${notice.tone}`} data-testid="notice" role={notice.tone === 'error' ? 'alert' : 'status'}>
      <span>{notice.text}</span>
      <button type="button" className="link-button" aria-label="Dismiss" onClick={() => dismiss(notice.id)}>
        ×
      </button>
    </li>
  );
}

/** Transient messages: transfers away, refusals not tied to a form, timeouts. */
export function Notices() {
  const notices = useAppStore(selectNotices);
  if (notices.length === 0) return null;
  return (
    <ul className="notices" aria-label="Notifications">
      {notices.map((n) => (
        <NoticeItem key={n.id} notice={n} />
      ))}
    </ul>
  );
}
