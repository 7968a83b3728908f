import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { browserAppConfig } from '../browser/vite/app-config';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** The agent app: the web agent the backend serves at /, and the Electron window's page. */
export default defineConfig(
  browserAppConfig({
    root: new URL('.', import.meta.url),
    outName: 'renderer',
    define: { __VEILDESK_VERSION__: JSON.stringify(pkg.version) },
  }),
);
