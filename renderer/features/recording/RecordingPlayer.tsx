import { useEffect, useRef, useState } from 'react';
import { type Recording } from '../../../shared';
import { formatClockTime, formatDuration } from '../../app/format';
import { useAppStore } from '../../app/store-context';
import { fetchRecordingAudio, fetchRecordings, pauseMarks, playheadFraction, screenTimeFor } from './recording-api';
import { followAudio } from './screen-follow';
import './recording.css';

function timeOf(iso: string): string {
  return formatClockTime(iso, { seconds: true });
}

/**
 * Plays one recording in the app: audio fetched with the session (audited as played), the pauses on
 * a bar. With the call's screen recording (same agent) the screen shows above, muted and following
 * the audio's clock and speed: play, pause, seeks and rate (screen-follow.ts). The two
 * files are lined up on one wall clock (screenTimeFor): each starts at its own media offset (the
 * screen's when the agent granted the capture) and skips the same pauses; before the screen's start
 * the video waits on its first frame, marked "not recorded yet".
 */
function Player({ recording, screen, audioUrl, screenUrl }: { recording: Recording; screen: Recording | null; audioUrl: string | null; screenUrl: string | null }) {
  const ref = useRef<HTMLAudioElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const [playedMs, setPlayedMs] = useState(0);
  const [screenWaiting, setScreenWaiting] = useState(false);
  const marks = pauseMarks(recording);
  const follow = (play?: boolean) => {
    const a = ref.current;
    const v = video.current;
    if (!a || !v) return;
    const target = screen ? screenTimeFor(recording, screen, a.currentTime * 1000) / 1000 : a.currentTime;
    setScreenWaiting(followAudio(a, v, target, play));
  };
  return (
    <div className="recording-player" data-testid="recording-player" data-recording-id={recording.id}>
      {screenUrl && <video ref={video} className="recording-screen" src={screenUrl} muted playsInline controls={!audioUrl} data-testid="recording-screen" data-waiting={screenWaiting} />}
      {screenWaiting && <p className="muted small">The screen is not recorded yet at this point of the call (the capture was granted later).</p>}
      {audioUrl && (
        <audio
          ref={ref}
          controls
          src={audioUrl}
          onTimeUpdate={() => {
            setPlayedMs((ref.current?.currentTime ?? 0) * 1000);
            follow();
          }}
          onPlay={() => follow(true)}
          onPause={() => follow(false)}
          onSeeked={() => follow()}
          onRateChange={() => follow()}
          data-testid="recording-audio"
        />
      )}
      <div className="recording-timeline" aria-label="Recording timeline; striped parts were securely paused and not recorded">
        {marks.map((m) => (
          <span
            key={m.startedAt}
            className="pause-mark"
            data-testid="pause-mark"
            style={{ left: `${m.left * 100}%`, width: `${Math.max(0.5, m.width * 100)}%` }}
            title={`Secure pause ${timeOf(m.startedAt)}–${m.endedAt ? timeOf(m.endedAt) : '…'}`}
          />
        ))}
        <span className="playhead" style={{ left: `${playheadFraction(recording, playedMs) * 100}%` }} />
      </div>
    </div>
  );
}

function RecordingRow({ recording, screen }: { recording: Recording; screen: Recording | null }) {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const [audioUrl, setAudioUrl] = useState<string | null>(null);
  const [screenUrl, setScreenUrl] = useState<string | null>(null);
  useEffect(() => () => void (screenUrl && URL.revokeObjectURL(screenUrl)), [screenUrl]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => () => void (audioUrl && URL.revokeObjectURL(audioUrl)), [audioUrl]);

  const load = async (download: boolean) => {
    if (!token) return;
    setBusy(true);
    setError(null);
    try {
      const blob = await fetchRecordingAudio(serverUrl, token, recording.id, download);
      const url = URL.createObjectURL(blob);
      if (download) {
        const a = document.createElement('a');
        a.href = url;
        a.download = `recording-${recording.id}.webm`;
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      } else {
        // A screen recording's own row plays its video; an audio row also fetches the call's screen (audited as played too).
        if (recording.kind === 'screen') setScreenUrl(url);
        else {
          setAudioUrl(url);
          if (screen && screen.chunks > 0) setScreenUrl(URL.createObjectURL(await fetchRecordingAudio(serverUrl, token, screen.id, false)));
        }
      }
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The recording could not be loaded.');
    } finally {
      setBusy(false);
    }
  };

  const pausedMs = recording.pauses.reduce((sum, p) => sum + (p.endedAt ? Date.parse(p.endedAt) - Date.parse(p.startedAt) : 0), 0);
  return (
    <li className="recording-row" data-testid="recording-row">
      <p>
        <strong>{recording.agentName}</strong> · {timeOf(recording.startedAt)} · {recording.durationMs === null ? 'recording…' : formatDuration(recording.durationMs)} recorded
        {recording.pauses.length > 0 && ` · ${recording.pauses.length} secure pause${recording.pauses.length > 1 ? 's' : ''} (${formatDuration(pausedMs)})`}
        {recording.missingChunks > 0 && <span className="inline-error"> · {recording.missingChunks} chunk(s) missing</span>}
      </p>
      {recording.recovered && (
        <p className="muted small" data-testid="recording-recovered">
          Recovered: the server stopped during this call; the recording ends with the last audio it received.
        </p>
      )}
      {recording.assembly === 'unjoined' && (
        <p className="inline-error small" data-testid="recording-unjoined">
          This recording has {recording.segments.length} parts that are not joined yet, so players may stop after the first. {recording.assemblyNote}
        </p>
      )}
      {!audioUrl && !screenUrl && (
        <button type="button" className="button-secondary" data-testid="recording-play" disabled={busy || recording.chunks === 0} onClick={() => void load(false)}>
          Play recording
        </button>
      )}{' '}
      <button type="button" className="link-button" data-testid="recording-download" disabled={busy || recording.chunks === 0} onClick={() => void load(true)}>
        Download
      </button>
      {error && (
        <p className="inline-error" role="alert" data-testid="recording-error">
          {error}
        </p>
      )}
      {recording.kind === 'screen' && <p className="muted small">Screen recording</p>}
      {screen && <p className="muted small" data-testid="recording-has-screen">With the agent&apos;s screen</p>}
      {(audioUrl || screenUrl) && <Player recording={recording} screen={screen} audioUrl={audioUrl} screenUrl={screenUrl} />}
    </li>
  );
}

/** Each agent's audio with that agent's screen recording beside it; a screen recording without audio is a row of its own. */
function rowsOf(recordings: Recording[]): { row: Recording; screen: Recording | null }[] {
  const audio = recordings.filter((r) => r.kind !== 'screen');
  const screens = recordings.filter((r) => r.kind === 'screen');
  const paired = new Set<string>();
  const rows = audio.map((row) => {
    const screen = screens.find((s) => s.agentId === row.agentId && !paired.has(s.id)) ?? null;
    if (screen) paired.add(screen.id);
    return { row, screen };
  });
  return [...rows, ...screens.filter((s) => !paired.has(s.id)).map((row) => ({ row, screen: null }))];
}

/**
 * The recordings of a call in its history detail (one per agent who had it), or a chat's screen
 * recordings; `onlyWhenRecorded` (chats) shows nothing while loading, on an error or when there are none.
 */
export function RecordingsSection({ interactionId, onlyWhenRecorded = false }: { interactionId: string; onlyWhenRecorded?: boolean }) {
  const serverUrl = useAppStore((s) => s.auth.serverUrl);
  const token = useAppStore((s) => s.auth.token);
  const [state, setState] = useState<{ id: string; recordings: Recording[] | null; error: string | null }>({ id: interactionId, recordings: null, error: null });
  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    fetchRecordings(serverUrl, token, interactionId).then(
      (recordings) => !cancelled && setState({ id: interactionId, recordings, error: null }),
      (err: unknown) => !cancelled && setState({ id: interactionId, recordings: null, error: err instanceof Error ? err.message : 'Recordings could not be loaded.' }),
    );
    return () => {
      cancelled = true;
    };
  }, [serverUrl, token, interactionId]);
  const current = state.id === interactionId ? state : { recordings: null, error: null };
  if (onlyWhenRecorded && !current.recordings?.length) return null;
  return (
    <section data-testid="history-recordings">
      <h4>Recordings</h4>
      {current.error && <p className="inline-error">{current.error}</p>}
      {!current.error && current.recordings === null && <p className="muted small">Loading…</p>}
      {current.recordings?.length === 0 && <p className="muted small">Not recorded.</p>}
      {current.recordings && current.recordings.length > 0 && (
        <ul className="recording-list">
          {rowsOf(current.recordings).map(({ row, screen }) => (
            <RecordingRow key={row.id} recording={row} screen={screen} />
          ))}
        </ul>
      )}
    </section>
  );
}
