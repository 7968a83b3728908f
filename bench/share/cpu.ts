import fs from 'node:fs';

/** Clock ticks per second for /proc/<pid>/stat times (USER_HZ; 100 on Linux builds we run on). */
const HZ = 100;

interface ProcInfo {
  pid: number;
  ppid: number;
  cpuSeconds: number;
  type: string;
  cmdline: string;
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may contain spaces and parentheses: the fields start after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(rest[1]);
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    // Child processes rewrite their title into one space-separated string.
    const type = /--type=([^\s\0]+)/.exec(cmdline)?.[1] ?? 'browser';
    return { pid, ppid, cpuSeconds: (utime + stime) / HZ, type, cmdline };
  } catch {
    return null;
  }
}

/**
 * The browser process of the Chromium whose children's command lines hold this marker (e.g. its
 * unique user-data-dir; the browser process itself rewrites its own title): the topmost Chromium
 * ancestor of the processes naming it.
 */
export function findBrowserPid(marker: string): number | null {
  const all = listProcs();
  const byPid = new Map(all.map((p) => [p.pid, p]));
  const isChromium = (p: ProcInfo | undefined) => Boolean(p && /chrom(e|ium)/.test(p.cmdline.split('\0')[0] ?? ''));
  for (const p of all) {
    if (!p.cmdline.includes(marker) || !p.cmdline.includes('--type=')) continue;
    let top = p;
    while (isChromium(byPid.get(top.ppid))) top = byPid.get(top.ppid)!;
    return top.pid;
  }
  return null;
}

function listProcs(): ProcInfo[] {
  const all: ProcInfo[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const info = readProc(pid);
    if (info) all.push(info);
  }
  return all;
}

function childrenOf(all: ProcInfo[]): Map<number, ProcInfo[]> {
  const children = new Map<number, ProcInfo[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  return children;
}

/** CPU seconds used so far by the browser and all its descendants, total and per process type. */
export function browserCpu(rootPid: number): { total: number; byType: Record<string, number> } {
  const all = listProcs();
  const children = childrenOf(all);
  const root = all.find((p) => p.pid === rootPid);
  const byType: Record<string, number> = {};
  let total = 0;
  const walk = (p: ProcInfo) => {
    total += p.cpuSeconds;
    byType[p.type] = (byType[p.type] ?? 0) + p.cpuSeconds;
    for (const c of children.get(p.pid) ?? []) walk(c);
  };
  if (root) walk(root);
  return { total, byType };
}
