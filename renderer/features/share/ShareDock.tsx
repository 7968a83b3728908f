import './share.css';
import { useAppStore } from '../../app/store-context';
import { SharerPanel } from './SharerPanel';
import { SharesList } from './SharesList';
import { ShareViewer } from './ShareViewer';

/** Screen sharing in the shell: start and run your own share; join and watch shares chosen for you. */
export function ShareDock() {
  const signedIn = useAppStore((s) => s.auth.status === 'signed-in');
  if (!signedIn) return null;
  return (
    <div className="share-dock" data-testid="share-dock">
      <SharerPanel />
      <SharesList />
      <ShareViewer />
    </div>
  );
}
