import { spawn } from 'node:child_process';
import fsp from 'node:fs/promises';

/** Joins WebM/Opus files, each with its own header and timestamps from 0, into one WebM stream. */
export interface WebmJoiner {
  /** Whether joining works here; the reason to show when it does not. */
  available(): Promise<{ ok: true } | { ok: false; reason: string }>;
  join(inputs: readonly string[], output: string): Promise<void>;
}

interface Run {
  code: number | null;
  stderr: string;
  error?: Error;
}

function run(binary: string, args: string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    let stderr = '';
    let settled = false;
    const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 8000) stderr += d.toString();
    });
    const done = (result: Run) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    child.once('error', (error) => done({ code: null, stderr, error }));
    child.once('close', (code) => done({ code, stderr }));
  });
}

/** In an ffmpeg concat list, a path is quoted; a quote inside is closed, escaped and reopened. */
function listLine(file: string): string {
  return `file '${file.replace(/'/g, `'\\''`)}'`;
}

/**
 * ffmpeg's concat demuxer with stream copy: the audio is not re-encoded, and each input's
 * timestamps continue where the previous one ended, so the result plays as one timeline.
 * `binary` is VEILDESK_FFMPEG_PATH or `ffmpeg` from PATH; whether it runs is checked once.
 */
export function ffmpegJoiner(binary = 'ffmpeg', timeoutMs = 120_000): WebmJoiner {
  let checked: Promise<{ ok: true } | { ok: false; reason: string }> | null = null;
  return {
    available() {
      checked ??= run(binary, ['-hide_banner', '-version'], 15_000).then((r) =>
        r.code === 0
          ? { ok: true as const }
          : {
              ok: false as const,
              reason: r.error
                ? `ffmpeg was not found (${binary}): install it (Debian: apt-get install ffmpeg) or set VEILDESK_FFMPEG_PATH`
                : `ffmpeg (${binary}) does not run (exit ${r.code}): ${r.stderr.trim().slice(0, 200)}`,
            },
      );
      return checked;
    },
    async join(inputs, output) {
      const list = `${output}.list.txt`;
      await fsp.writeFile(list, `ffconcat version 1.0\n${inputs.map(listLine).join('\n')}\n`, { mode: 0o600 });
      try {
        const r = await run(binary, ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', list, '-map', '0:a', '-c', 'copy', '-f', 'webm', output], timeoutMs);
        if (r.code !== 0) throw new Error(`ffmpeg could not join the segments (exit ${r.code ?? r.error?.message}): ${r.stderr.trim().slice(-300)}`);
      } finally {
        await fsp.rm(list, { force: true });
      }
    },
  };
}
