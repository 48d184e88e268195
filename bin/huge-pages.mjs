// Runs a simulating command again in a child process whose malloc asks for transparent huge pages.
//
// Why: a replication's state lives in typed arrays (per pod, proxy, node, connection and call) whose
// backing stores Node allocates with malloc, and the hot path reaches them at random: on huge.yaml
// (150,000 pods, hundreds of MiB) 4 KiB pages leave the TLB too few entries to cover them. glibc 2.35 and
// later have a tunable, glibc.malloc.hugetlb=1, that makes malloc madvise(MADV_HUGEPAGE) the memory it
// maps (glibc manual, "Memory Allocation Tunables"; glibc 2.35 NEWS: "a new tunable, glibc.malloc.hugetlb,
// can be used to either make malloc issue madvise plus MADV_HUGEPAGE on mmap and sbrk ..."; the patch:
// https://sourceware.org/pipermail/libc-alpha/2021-December/134151.html), which the kernel backs with
// 2 MiB pages when transparent huge pages are in their usual `madvise` mode
// (https://docs.kernel.org/admin-guide/mm/transhuge.html). glibc reads its tunables only when a process
// starts, from GLIBC_TUNABLES, so the setting needs a new process. Results are the same bytes: only the
// page size of the memory changes.
// Measured (docs/scale.md, 2026-12-03, three pairs run at once, one per core): the event loop of a
// 1.5-second huge sidecar run 50.5-52.7 s with it against 56.1-57.8 s without; ambient 34.5 against 37.8 s;
// large 1-4 % faster. A machine of the week before (AMD EPYC) showed no gain: it depends on the machine.
// Off with MESHSIM_HUGE_PAGES=0; skipped off Linux, on a C library other than glibc >= 2.35, with
// transparent huge pages `never`, under a debugger, and for commands that simulate nothing.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { url as inspectorUrl } from 'node:inspector';

const TUNABLE = 'glibc.malloc.hugetlb';
/**
 * Commands that run simulations long enough for the page size to matter: a re-exec costs about 70 ms
 * (a 0.2-second quickstart `run`: 0.58 s without, 0.65 s with, 2026-12-03).
 */
const SIMULATING = new Set(['run', 'plan', 'calibrate']);

function glibcWithTunable() {
  process.report.excludeNetwork = true;
  const v = process.report.getReport().header?.glibcVersionRuntime;
  if (typeof v !== 'string') return false; // musl (Alpine) or no C library report
  const [major, minor] = v.split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 35);
}

function transparentHugePages() {
  try {
    return !readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8').includes('[never]');
  } catch {
    return false;
  }
}

/** Whether this invocation should run again with the tunable set (it is not set yet, and it can help). */
export function wantsHugePages(argv, env = process.env) {
  if (process.platform !== 'linux' || env.MESHSIM_HUGE_PAGES === '0') return false;
  if ((env.GLIBC_TUNABLES ?? '').includes(TUNABLE)) return false;
  if (!SIMULATING.has(argv[0])) return false;
  // Under a debugger (--inspect) the child would ask for the same port and run undebugged.
  if (inspectorUrl() !== undefined) return false;
  return transparentHugePages() && glibcWithTunable();
}

/** `env` with the tunable added to whatever GLIBC_TUNABLES it already sets. */
export function hugePagesEnv(env) {
  const tunables = env.GLIBC_TUNABLES;
  return { ...env, GLIBC_TUNABLES: tunables ? `${tunables}:${TUNABLE}=1` : `${TUNABLE}=1` };
}

/**
 * Runs this same command line in a child with the tunable set, passing the terminal through, and
 * resolves to the exit code to leave with. A signal sent to this process (a pod stopped with SIGTERM, a
 * kill) goes on to the child, which stops as it would have; a child killed by a signal kills this
 * process with the same one.
 */
export function runWithHugePages(script, argv) {
  const env = hugePagesEnv(process.env);
  const child = spawn(process.execPath, [...process.execArgv, script, ...argv], { stdio: 'inherit', env });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (sig) => child.kill(sig);
  for (const sig of signals) process.on(sig, forward);
  return new Promise((resolve) => {
    child.on('error', (e) => {
      process.stderr.write(`meshsim: internal error: could not start the simulating process: ${e.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      for (const sig of signals) process.off(sig, forward);
      if (signal) {
        process.kill(process.pid, signal);
        return;
      }
      resolve(code ?? 1);
    });
  });
}
