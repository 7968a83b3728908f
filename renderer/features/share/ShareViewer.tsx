import { useEffect, useRef } from 'react';
import { elapsedSince } from '../../app/format';
import { useAppStore } from '../../app/store-context';
import { useNow } from '../../app/use-now';
import { endedMessage, selectWatching } from './share-slice';

const STATUS_WORDS = { joining: 'Joining…', connecting: 'Connecting…', live: 'Live', ended: 'Ended' } as const;

/** A share being watched, at its real size (scaled down only when the window is too narrow). */
export function ShareViewer() {
  const watching = useAppStore(selectWatching);
  const leaveShare = useAppStore((s) => s.leaveShare);
  const dismiss = useAppStore((s) => s.dismissWatching);
  const video = useRef<HTMLVideoElement>(null);
  const now = useNow();
  const stream = watching?.stream ?? null;

  useEffect(() => {
    const el = video.current;
    if (!el) return;
    el.srcObject = stream;
    if (stream) void el.play().catch(() => undefined);
  }, [stream]);

  if (!watching) return null;
  const { share, status } = watching;
  return (
    <section className="card share-view" aria-label={`${share.sharerName}'s screen`} data-testid="share-view" data-status={status} data-transport={watching.transport ?? undefined}>
      <header className="card-header">
        <h2>
          <span data-testid="share-sharer-name">{share.sharerName}</span>’s screen
        </h2>
        <span className="muted small" data-testid="share-age">
          shared for {elapsedSince(share.startedAt, now) ?? '—'}
        </span>
        <span className="pill" data-testid="share-status">
          {STATUS_WORDS[status]}
        </span>
        {status === 'ended' ? (
          <button type="button" className="button-ghost button-small" data-testid="share-dismiss" onClick={dismiss}>
            Close
          </button>
        ) : (
          <button type="button" className="button-secondary button-small" data-testid="share-leave" onClick={leaveShare}>
            Leave
          </button>
        )}
      </header>
      {status === 'ended' ? (
        <p className="share-ended" data-testid="share-ended">
          {endedMessage(watching.endedReason)}
        </p>
      ) : (
        <div className="share-video-frame">
          {share.blanked && (
            <p className="share-paused" data-testid="share-paused">
              {share.sharerName} paused the picture.
            </p>
          )}
          {stream ? <video ref={video} className="share-video" data-testid="share-video" autoPlay playsInline muted /> : <p className="muted">Waiting for the picture…</p>}
        </div>
      )}
    </section>
  );
}
