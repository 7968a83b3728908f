/**
 * Init script: lets a test "unplug" one of Chromium's fake audio devices. `window.__unplug(id)`
 * hides the device from enumerateDevices, fires devicechange, and ends the tracks of microphone
 * streams opened on it (what Chromium does when a real device goes). `window.__micRequests` lists
 * the audio constraints of each getUserMedia call, to see the app reopen the default microphone.
 */
export function deviceFaker(): void {
  const w = window as unknown as { __unplug: (id: string) => void; __micRequests: string[] };
  const md = navigator.mediaDevices;
  const unplugged = new Set<string>();
  const opened: MediaStream[] = [];
  w.__micRequests = [];
  const enumerate = md.enumerateDevices.bind(md);
  md.enumerateDevices = async () => (await enumerate()).filter((d) => !unplugged.has(d.deviceId));
  const getUserMedia = md.getUserMedia.bind(md);
  md.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    if (constraints?.audio) w.__micRequests.push(JSON.stringify(constraints.audio));
    const stream = await getUserMedia(constraints);
    opened.push(stream);
    return stream;
  };
  w.__unplug = (id: string) => {
    unplugged.add(id);
    for (const stream of opened) {
      for (const track of stream.getAudioTracks()) {
        if (track.getSettings().deviceId === id && track.readyState === 'live') {
          track.stop();
          track.dispatchEvent(new Event('ended'));
        }
      }
    }
    md.dispatchEvent(new Event('devicechange'));
  };
}
