import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The folder layers (eslint/layers.js, rule veildesk/layers) bite: each fixture is linted with the
 * project's own eslint.config.js as if it lived at the given path, and a forbidden import must be
 * reported while an allowed one must not.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'veildesk/layers').map((m) => m.message);
}

const forbidden: Array<[string, string, string]> = [
  ['a renderer file importing the backend', 'renderer/features/calls/x.ts', "import { createServer } from '../../../server/app';"],
  ['a deep renderer file importing the backend', 'renderer/a/b/c/d/e/x.ts', "import { x } from '../../../../../../server/modules/auth/x';"],
  ['shared importing node:fs', 'shared/api/x.ts', "import fs from 'node:fs';"],
  ['shared importing path', 'shared/x.ts', "import path from 'path';"],
  ['shared importing react', 'shared/domain/x.ts', "import { useState } from 'react';"],
  ['shared importing electron', 'shared/bridge/x.ts', "import { ipcRenderer } from 'electron';"],
  ['shared importing the renderer', 'shared/api/x.ts', "import { x } from '../../renderer/net/x';"],
  ['the widget importing the renderer', 'widget/x.ts', "import { x } from '../renderer/x';"],
  ['the widget importing the backend', 'widget/lib/x.ts', "import { x } from '../../server/ws/gateway';"],
  ['a server module importing the socket layer', 'server/modules/newmod/x.ts', "import { x } from '../../ws/gateway';"],
  ['a server module importing the socket layer by its folder', 'server/modules/newmod/x.ts', "import { x } from '../../ws';"],
  ['a server module importing the HTTP layer', 'server/modules/newmod/x.ts', "import { x } from '../../http/authenticate';"],
  ['the backend importing the widget', 'server/http/x.ts', "import { x } from '../../widget/lib/x';"],
  ['the backend importing react', 'server/modules/users/x.ts', "import React from 'react';"],
  ['the backend importing dexie', 'server/x.ts', "import Dexie from 'dexie';"],
  ['browser code importing the renderer', 'browser/net/x.ts', "import { x } from '../../renderer/net/x';"],
  ['browser code importing the widget', 'browser/x.ts', "import { x } from '../widget/x';"],
  ['browser code importing node:fs', 'browser/x.ts', "import fs from 'node:fs';"],
  ['the renderer importing fs', 'renderer/x.ts', "import fs from 'fs';"],
  ['the renderer importing electron', 'renderer/x.ts', "import { ipcRenderer } from 'electron';"],
  ['the renderer importing main', 'renderer/x.ts', "import { x } from '../main/x';"],
  ['main importing the renderer', 'main/ipc/x.ts', "import { x } from '../../renderer/x';"],
  ['main importing the preload', 'main/x.ts', "import { x } from '../preload/bridge';"],
  ['the preload importing main', 'preload/x.ts', "import { x } from '../main/x';"],
  ['a bench importing renderer internals', 'bench/sync/x.ts', "import { x } from '../../renderer/data/x';"],
  ['a bench importing E2E config', 'bench/fanout/x.ts', "import { CHROMIUM_ARGS } from '../../test/e2e/playwright.config';"],
  ['another bench file importing browser code', 'bench/cluster/x.ts', "import { x } from '../../browser/net/reconnecting-socket';"],
  ['a script importing the renderer', 'scripts/simulate/x.ts', "import { x } from '../../renderer/x';"],
  ['an integration test importing the renderer', 'test/integration/x.test.ts', "import { x } from '../../renderer/x';"],
  ['a dynamic import', 'renderer/x.ts', "export const load = () => import('../server/app');"],
  ['a re-export', 'shared/x.ts', "export { x } from '../server/x';"],
  ['a type-only import', 'renderer/x.ts', "import type { X } from '../server/x';"],
  ['an import type in a type position', 'shared/x.ts', "export type X = import('../server/x').X;"],
];

const allowed: Array<[string, string, string]> = [
  ['the renderer importing shared', 'renderer/features/calls/x.ts', "import { x } from '../../../shared/api/ws';"],
  ['the renderer importing browser code', 'renderer/a/x.ts', "import { x } from '../../browser/net/x';"],
  ['the widget importing browser code', 'widget/x.ts', "import { x } from '../browser/x';"],
  ['the widget importing shared', 'widget/lib/x.ts', "import { x } from '../../shared/version';"],
  ['browser code importing shared', 'browser/x.ts', "import { x } from '../shared/x';"],
  ['shared importing zod', 'shared/api/x.ts', "import { z } from 'zod';"],
  ['shared importing shared', 'shared/api/x.ts', "import { x } from '../domain/x';"],
  ['a server module importing another module', 'server/modules/auth/x.ts', "import { x } from '../users/x';"],
  ['the socket layer importing a module', 'server/ws/x.ts', "import { x } from '../modules/auth/x';"],
  ['the widget importing its polyfills', 'widget/call/x.ts', "import process from 'process';"],
  ['main importing electron', 'main/x.ts', "import { app } from 'electron';"],
  ['a bench starting a server', 'bench/chat/x.ts', "import { x } from '../../test/support/server';"],
  ['a bench using the backend', 'bench/routing/x.ts', "import { x } from '../../server/modules/routing/routing-engine';"],
  ['the share bench page running the share pipeline', 'bench/share/page.ts', "import { x } from '../../renderer/media/share/pipeline';"],
  ['a script using the backend', 'scripts/mediasoup/x.ts', "import { x } from '../../server/modules/media/worker-binary';"],
  ['a unit test importing what it tests', 'test/unit/renderer/x.test.ts', "import { x } from '../../../renderer/features/x';"],
  ['a unit test of a bench importing the bench', 'test/unit/bench/x.test.ts', "import { x } from '../../../bench/cluster/ledger';"],
  ['the cluster bench clients using the apps\' socket core', 'bench/cluster/client.ts', "import { x } from '../../browser/net/reconnecting-socket';"],
  ['an E2E spec using test support', 'test/e2e/x.spec.ts', "import { x } from '../support/server';"],
  ['a Vite config reading package.json', 'renderer/vite.config.ts', "import fs from 'node:fs';"],
];

describe('lint zones', () => {
  it.each(forbidden)('reports %s', async (_name, file, code) => {
    expect(await layerErrors(file, code)).toHaveLength(1);
  });

  it.each(allowed)('allows %s', async (_name, file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
