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
//
// The tunable advises what malloc's main arena grows by and the blocks of 2 MiB or more it maps on their
// own. A worker thread (run-pool.ts runs each simulation on one) allocates from an arena of its own, a
// 64 MiB reservation that glibc 2.36 grows by mprotect without madvise (bminor/glibc malloc/arena.c at
// glibc-2.36, grow_heap; alloc_new_heap advises only the first size, under 2 MiB; arenas learnt
// transparent huge pages in 05a14648e9, "malloc: Support THP in arenas", August 2025, after 2.42): on
// huge.yaml in the pool only 156 of the 366 MiB in such arenas were on huge pages.
// glibc.malloc.arena_max=1 (glibc manual, "Memory Allocation Tunables") sends every thread to the main
// arena, whose growth is advised (malloc.c sysmalloc, madvise_thp after MORECORE, its top aligned
// to 2 MiB). A block from 128 KiB up is mapped on its own instead, and advised only from 2 MiB
// (madvise_thp skips smaller), so a per-pod array of huge's (150,000 doubles, 1.1 MiB) allocated before
// malloc's threshold has risen stays on 4 KiB pages: glibc.malloc.mmap_threshold at its largest, 32 MiB
// (DEFAULT_MMAP_THRESHOLD_MAX on 64 bits), keeps everything smaller in the advised heap. With both, 97 %
// of the memory outside V8's own heap was on 2 MiB pages in huge's pool (with the first alone 94 %,
// with neither 56 %). The simulating threads allocate at start and when a table doubles, not per event,
// so sharing one arena costs nothing measurable. Measured 2026-12-03: a 2.3-second cut of huge on 2
// workers, run in turn with the old setting, 155-161 CPU-s against 162-171 s; the cut's sidecar in a
// worker, both at once, 1-4 % faster (docs/scale.md). A user's own arena_max or mmap_threshold is kept.
// Off with MESHSIM_HUGE_PAGES=0; skipped off Linux, on a C library other than glibc >= 2.35, with
// transparent huge pages `never`, under a debugger, and for commands that simulate nothing.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { url as inspectorUrl } from 'node:inspector';

const TUNABLE = 'glibc.malloc.hugetlb';
const ARENAS = 'glibc.malloc.arena_max';
const THRESHOLD = 'glibc.malloc.mmap_threshold';
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

/** `env` with our tunables added to whatever GLIBC_TUNABLES it sets (its arena_max, mmap_threshold kept). */
export function hugePagesEnv(env) {
  const tunables = env.GLIBC_TUNABLES ?? '';
  const ours = [`${TUNABLE}=1`];
  if (!tunables.includes(ARENAS)) ours.push(`${ARENAS}=1`);
  if (!tunables.includes(THRESHOLD)) ours.push(`${THRESHOLD}=${32 * 2 ** 20}`);
  return { ...env, GLIBC_TUNABLES: [...(tunables ? [tunables] : []), ...ours].join(':') };
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
