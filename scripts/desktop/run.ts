import { DEFAULT_PORT } from '../../shared/version';
import { buildIfMissing, openDesktopApp, prepareDesktop } from './launch';

/**
 * `npm run desktop`: the desktop app alone, against a backend that is already running
 * (VEILDESK_SERVER_URL, default http://localhost:4280). Downloads Electron's binary once when it is
 * missing; when that is impossible, says why and where the web agent is, and exits 1.
 */
const serverUrl = process.env.VEILDESK_SERVER_URL ?? `http://localhost:${DEFAULT_PORT}`;
const choice = await prepareDesktop().catch((error: Error) => ({ kind: 'web' as const, reason: error.message }));
if (choice.kind === 'web') {
  process.stderr.write(`No desktop app: ${choice.reason}.\nUse the web agent instead: ${serverUrl}/ (start the backend with npm start or npm run server).\n`);
  process.exit(1);
}
buildIfMissing('dist/renderer/index.html', 'build:renderer');
const app = openDesktopApp(choice.binary, serverUrl);
app.on('exit', (code) => process.exit(code ?? 0));
