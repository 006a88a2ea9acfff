// Shared helpers for the benchmarks: paths, temp dirs, percentiles, tables, spawning the gateway
// and checking that no process of a run outlives it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PML_CLI = join(ROOT, 'dist/cli/main.js');
export const EVERYTHING = join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

export function makeTempRoot(prefix = 'pml-bench-') {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function machineInfo() {
  const cpu = cpus();
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  return `node ${process.version} | ${process.platform}/${process.arch} | ${cpu.length} CPUs (${cpu[0]?.model.trim() ?? '?'}) | load avg ${load}`;
}

/** Nearest-rank percentile of an ascending-sorted array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summarize(samples) {
  const sorted = Float64Array.from(samples).sort();
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

export const ms = (value) => (Number.isFinite(value) ? value.toFixed(3) : 'n/a');
export const verdict = (ok) => (ok ? 'PASS' : 'MISS');

/** Prints rows (arrays of cells) under headers; columns whose cells are all numbers are right-aligned. */
export function printTable(title, headers, rows) {
  const all = [headers, ...rows].map((row) => row.map(String));
  const widths = headers.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const numeric = headers.map(
    (_, i) => rows.length > 0 && all.slice(1).every((row) => /^[-+]?[\d.]+%?$/.test(row[i])),
  );
  const line = (row) =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(`\n${title}`);
  console.log(line(all[0]));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of all.slice(1)) console.log(line(row));
}

/** Keeps a child's stderr lines so problems can be shown at the end. */
export function collectLines(stream, into) {
  let rest = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop();
    into.push(...parts.filter(Boolean));
  });
}

/** Spawns `pml serve --http --port 0` and resolves once it logs its URL. */
export function spawnHttpGateway({ args = [], env, cwd, timeoutMs = 15_000 }) {
  // PML_LOG_LEVEL=warn hides the info-level "listening on" line, so the flag raises it back for this one.
  const child = spawn(
    process.execPath,
    [PML_CLI, 'serve', '--http', '--port', '0', '--log-level', 'info', ...args],
    {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const stderr = [];
  collectLines(child.stderr, stderr);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "listening on" line after ${timeoutMs} ms; stderr:\n${stderr.join('\n')}`)),
      timeoutMs,
    );
    child.stderr.on('data', () => {
      const found = stderr.map((line) => /listening on (http:\S+)/.exec(line)).find(Boolean);
      if (!found) return;
      clearTimeout(timer);
      resolve(found[1]);
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited (${code ?? signal}) before listening; stderr:\n${stderr.join('\n')}`));
    });
  });
  url.catch(() => {}); // callers that never ask for the URL must not see an unhandled rejection
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return { child, stderr, url, stop, exited };
}

/** Linux only: pids of processes (not us) whose command line or environment mentions `marker`. */
export function findProcessesMentioning(marker) {
  if (process.platform !== 'linux') return [];
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const text =
        readFileSync(`/proc/${entry}/cmdline`, 'utf8') + readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (text.includes(marker)) found.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return found;
}

/** Splits `total` into `parts` near-equal whole numbers (zeros dropped), e.g. calls per round. */
export function splitEvenly(total, parts) {
  return Array.from(
    { length: parts },
    (_, i) => Math.floor((total * (i + 1)) / parts) - Math.floor((total * i) / parts),
  ).filter(Boolean);
}

/** Prints the load average, then kills (and names) any process of this run still alive 3 s after closing. */
export async function reportLeftovers(marker) {
  let pids = findProcessesMentioning(marker);
  for (let waited = 0; pids.length > 0 && waited < 3000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    pids = findProcessesMentioning(marker);
  }
  console.log(`load avg at end: ${machineInfo().split('load avg ')[1]}`);
  if (pids.length === 0) return console.log('leftover processes: none');
  console.log(`leftover processes 3 s after closing: ${pids.join(' ')} (killing them)`);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Linux only: resident set size of one process in MiB (VmRSS of /proc/<pid>/status), NaN if unknown. */
export function rssMiB(pid) {
  if (process.platform !== 'linux' || !pid) return NaN;
  try {
    const found = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return found ? Number(found[1]) / 1024 : NaN;
  } catch {
    return NaN; // Gone.
  }
}

/** Linux only: pids of every descendant of `pid` (children, grandchildren, …), from /proc/<pid>/task/<tid>/children. */
export function descendantPids(pid) {
  if (process.platform !== 'linux' || !pid) return [];
  const found = [];
  const visit = (parent) => {
    let tasks = [];
    try {
      tasks = readdirSync(`/proc/${parent}/task`);
    } catch {
      return; // Gone.
    }
    for (const tid of tasks) {
      let children = '';
      try {
        children = readFileSync(`/proc/${parent}/task/${tid}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const child of children.split(/\s+/).filter(Boolean).map(Number)) {
        if (found.includes(child)) continue;
        found.push(child);
        visit(child);
      }
    }
  };
  visit(pid);
  return found;
}
