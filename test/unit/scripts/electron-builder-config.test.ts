import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

// js-yaml is what electron-updater itself parses YAML with (a dependency of it, no types shipped).
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

const Config = z.looseObject({
  asar: z.boolean(),
  electronFuses: z.record(z.string(), z.boolean()),
  mac: z.looseObject({ target: z.array(z.string()) }),
  publish: z.array(z.looseObject({ provider: z.string(), url: z.string() })),
});

const config = Config.parse(load(readFileSync(new URL('../../../electron-builder.yml', import.meta.url), 'utf8')));

describe('electron-builder.yml: the packaged app', () => {
  it.each([
    ['runAsNode', false, 'ELECTRON_RUN_AS_NODE cannot turn the app into a Node interpreter'],
    ['enableNodeOptionsEnvironmentVariable', false, 'NODE_OPTIONS cannot preload code'],
    ['enableNodeCliInspectArguments', false, '--inspect cannot attach a debugger'],
    ['enableEmbeddedAsarIntegrityValidation', true, 'app.asar is checked against the hash in the binary'],
    ['onlyLoadAppFromAsar', true, 'only app.asar is ever loaded'],
    ['enableCookieEncryption', true, 'cookies are encrypted at rest'],
    ['grantFileProtocolExtraPrivileges', false, 'file: pages get no extra powers'],
  ])('fuse %s is %s (%s)', (fuse, expected) => {
    expect(config.electronFuses[fuse]).toBe(expected);
  });

  it('packs the app into an asar (what the integrity fuses check)', () => {
    expect(config.asar).toBe(true);
  });

  it('builds a macOS zip, which electron-updater installs updates from', () => {
    expect(config.mac.target).toEqual(expect.arrayContaining(['dmg', 'zip']));
  });

  it('writes a generic feed (latest.yml, blockmaps) and uploads nowhere; the real address is set at run time', () => {
    expect(config.publish).toEqual([{ provider: 'generic', url: expect.stringMatching(/^https:\/\/[^/]+\.invalid\//) }]);
  });
});
