import { useCallback, useEffect, useRef, useState } from 'react';
import { getMicrophone } from '../../media/microphone';
import { useAlertServices } from '../alerts/alerts-services';
import { type AudioRole } from './audio-prefs';
import { type AudioDeviceLists, type AudioDeviceOption, listAudioDevices } from './device-list';
import { routeToSink } from './speaker-sink';
import { useAudioPrefs } from './use-audio-prefs';
import './devices.css';

const TEST_MS = 3000;

function DevicePicker({ role, label, options, testId, children }: { role: AudioRole; label: string; options: AudioDeviceOption[]; testId: string; children: React.ReactNode }) {
  const services = useAlertServices();
  const chosen = useAudioPrefs((s) => s[role]);
  const missing = useAudioPrefs((s) => s.missing.includes(role));
  const id = `audio-${role}`;
  const known = chosen === '' || options.some((o) => o.deviceId === chosen);
  return (
    <div className="device-row">
      <label htmlFor={id}>{label}</label>
      <select id={id} data-testid={testId} value={chosen} onChange={(e) => services?.prefs.choose(role, e.target.value)}>
        <option value="">System default</option>
        {options.map((o) => (
          <option key={o.deviceId} value={o.deviceId}>
            {o.label}
          </option>
        ))}
        {!known && <option value={chosen}>Disconnected device</option>}
      </select>
      {children}
      {missing && <span className="muted small">Not connected: the system default is used.</span>}
    </div>
  );
}

/** A level meter from the chosen microphone for a few seconds. */
function MicTest({ deviceId }: { deviceId: string }) {
  const [level, setLevel] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setError(null);
    let stream: MediaStream;
    try {
      stream = await getMicrophone(undefined, deviceId);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return;
    }
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 512;
    ctx.createMediaStreamSource(stream).connect(analyser);
    const data = new Float32Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(data);
      setLevel(Math.sqrt(data.reduce((sum, x) => sum + x * x, 0) / data.length));
    }, 100);
    setTimeout(() => {
      clearInterval(timer);
      stream.getTracks().forEach((t) => t.stop());
      void ctx.close();
      setLevel(null);
    }, TEST_MS);
  };
  return (
    <>
      <button type="button" className="button-secondary" data-testid="settings-audio-test-mic" onClick={() => void run()} disabled={level !== null}>
        Test
      </button>
      {level !== null && <meter className="mic-meter" min={0} max={0.5} value={level} aria-label="Microphone level" />}
      {error && <span className="inline-error small">{error}</span>}
    </>
  );
}

/** A short tone on the chosen speaker. */
function SpeakerTest({ deviceId }: { deviceId: string }) {
  const audio = useRef<HTMLAudioElement>(null);
  const [playing, setPlaying] = useState(false);
  const run = async () => {
    const el = audio.current;
    if (!el) return;
    setPlaying(true);
    const ctx = new AudioContext();
    const dest = ctx.createMediaStreamDestination();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 660;
    gain.gain.value = 0.2;
    osc.connect(gain).connect(dest);
    osc.start();
    el.srcObject = dest.stream;
    await routeToSink(el, deviceId);
    await el.play().catch(() => undefined);
    setTimeout(() => {
      osc.stop();
      el.srcObject = null;
      void ctx.close();
      setPlaying(false);
    }, 1000);
  };
  return (
    <>
      <button type="button" className="button-secondary" data-testid="settings-audio-test-speaker" onClick={() => void run()} disabled={playing}>
        Test
      </button>
      <audio ref={audio} />
    </>
  );
}

/** Settings → Audio: the microphone and speaker of calls, the ringer device, each with a test. */
export function AudioSection() {
  const services = useAlertServices();
  const prefs = useAudioPrefs((s) => s);
  const [lists, setLists] = useState<AudioDeviceLists>({ microphones: [], speakers: [] });
  const [labelsHidden, setLabelsHidden] = useState(false);

  const refresh = useCallback(async () => {
    const next = await listAudioDevices().catch(() => ({ microphones: [], speakers: [] }));
    setLists(next);
    setLabelsHidden([...next.microphones, ...next.speakers].some((d) => /^(Microphone|Speaker) \d+$/.test(d.label)));
  }, []);

  useEffect(() => {
    void refresh();
    const md = globalThis.navigator?.mediaDevices;
    const onChange = () => void refresh();
    md?.addEventListener?.('devicechange', onChange);
    return () => md?.removeEventListener?.('devicechange', onChange);
  }, [refresh]);

  if (!services) return null;
  return (
    <section className="card settings-section" aria-labelledby="settings-audio-title" data-testid="settings-audio">
      <h3 id="settings-audio-title">Audio</h3>
      <p className="muted small">Remembered on this computer only.</p>
      {labelsHidden && (
        <p className="small">
          Device names appear once Veildesk may use the microphone.{' '}
          <button
            type="button"
            className="link-button"
            onClick={() =>
              void getMicrophone()
                .then((s) => s.getTracks().forEach((t) => t.stop()))
                .then(refresh)
                .catch(() => undefined)
            }
          >
            Show names
          </button>
        </p>
      )}
      <DevicePicker role="microphone" label="Microphone" options={lists.microphones} testId="settings-audio-mic">
        <MicTest deviceId={prefs.microphone} />
      </DevicePicker>
      <DevicePicker role="speaker" label="Speaker (calls)" options={lists.speakers} testId="settings-audio-speaker">
        <SpeakerTest deviceId={prefs.speaker} />
      </DevicePicker>
      <DevicePicker role="ringer" label="Ringer" options={lists.speakers} testId="settings-audio-ringer">
        <button
          type="button"
          className="button-secondary"
          data-testid="settings-audio-test-ringer"
          onClick={() => {
            void services.ringtone.unlock();
            services.ringtone.preview();
          }}
        >
          Test
        </button>
      </DevicePicker>
      <label className="device-row">
        <input type="checkbox" data-testid="settings-audio-chime" checked={prefs.chimeForChats} onChange={(e) => services.prefs.setChime(e.target.checked)} />
        Chime for new chats (calls always ring)
      </label>
    </section>
  );
}
