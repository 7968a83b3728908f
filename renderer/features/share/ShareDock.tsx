import './share.css';
import { useEffect } from 'react';
import { useAppStore } from '../../app/store-context';
import { SharerPanel } from './SharerPanel';
import { SharesList } from './SharesList';
import { ShareViewer } from './ShareViewer';

/** Screen sharing in the shell: start and run your own share; join and watch shares chosen for you. */
export function ShareDock() {
  const signedIn = useAppStore((s) => s.auth.status === 'signed-in');
  const stopShare = useAppStore((s) => s.stopShare);
  const leaveShare = useAppStore((s) => s.leaveShare);

  // Closing the window or tab ends the share (and the watching) now, not after the server's grace period.
  useEffect(() => {
    const onPageHide = () => {
      stopShare();
      leaveShare();
    };
    window.addEventListener('pagehide', onPageHide);
    return () => window.removeEventListener('pagehide', onPageHide);
  }, [stopShare, leaveShare]);

  if (!signedIn) return null;
  return (
    <div className="share-dock" data-testid="share-dock">
      <SharerPanel />
      <SharesList />
      <ShareViewer />
    </div>
  );
}
