import { defineConfig } from 'vite';
import { browserAppConfig } from '../browser/vite/app-config';

/** The customer web widget, served by the backend at /widget/ (server/http/widget-app.ts). */
export default defineConfig(browserAppConfig({ root: new URL('.', import.meta.url), outName: 'widget' }));
