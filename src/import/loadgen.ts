// Load-generator Deployments read as closed-loop clients: their container's arguments give the
// connections, the rate cap and the target URL, so the import writes a `traffic:` entry with `closedLoop`
// and `clientPod` instead of a service nobody calls.
//   fortio `load -c N -qps Q URL`: -c default 4, -qps default 8, 0 or negative = as fast as answers come
//     (fortio/fortio periodic/periodic.go DefaultRunnerOptions {QPS: 8, NumThreads: 4}; fortio_main.go
//     flags "Queries Per Seconds or 0 for no wait/max qps").
//   oha `-c N [-q Q] [--disable-keepalive] URL`: -c default 50, -q a rate limit over all workers, none by
//     default (hatoo/oha README, options).
//   wrk2 `-c N -R Q URL`: -c default 10, -R the constant throughput, required (giltene/wrk2 README).
import { arr, type Json, obj, objs, str } from './fields.ts';
import { ingressByHost } from './infer.ts';
import type { Ingress } from './ingresses.ts';
import { where } from './manifest.ts';
import type { Notes, Path } from './notes.ts';
import { hostKey } from './routing.ts';
import { cpuText, type ImportedService, memoryText, type ServiceSet } from './services.ts';
import type { Workload } from './workload.ts';

export interface LoadGenerator {
  tool: 'fortio' | 'oha' | 'wrk2';
  connections: number;
  /** Requests per second over all connections; undefined: as fast as answers come back. */
  rateCap?: number;
  perRequestConnections: boolean;
  url: string;
  /** The arguments read, as written, for the comment that says where the loop came from. */
  evidence: string;
}

const DEFAULTS = {
  fortio: { connections: 4, rate: 8 },
  oha: { connections: 50, rate: undefined },
  wrk2: { connections: 10, rate: undefined },
} as const;

function toolOf(image: string, argv: string[]): LoadGenerator['tool'] | undefined {
  const name = image.split('/').pop()?.split(':')[0] ?? '';
  const first = (argv[0] ?? '').split('/').pop() ?? '';
  for (const t of ['fortio', 'oha', 'wrk2'] as const) if (name === t || first === t) return t;
  return undefined;
}

/** `-c 32`, `-c=32`, `--c 32`: the value of flag `name` in `argv`, if given. */
function flag(argv: string[], names: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    for (const n of names) {
      if (a === `-${n}` || a === `--${n}`) return argv[i + 1];
      if (a.startsWith(`-${n}=`) || a.startsWith(`--${n}=`)) return a.slice(a.indexOf('=') + 1);
    }
  }
  return undefined;
}

/** The load generator a workload runs, when its first container is one with a target URL. */
export function loadGenerator(w: Workload): LoadGenerator | undefined {
  const spec = obj(obj(obj(w.manifest.body.spec).template).spec);
  for (const c of objs(spec.containers)) {
    const argv = [...arr(c.command), ...arr(c.args)].map((a) => str(a) ?? String(a));
    const tool = toolOf(str(c.image) ?? '', argv);
    if (!tool) continue;
    const url = [...argv].reverse().find((a) => /^https?:\/\//.test(a));
    if (!url) return undefined;
    const d = DEFAULTS[tool];
    const c0 = Number(flag(argv, ['c', 'connections']) ?? d.connections);
    const rateText =
      tool === 'fortio'
        ? flag(argv, ['qps'])
        : tool === 'oha'
          ? flag(argv, ['q'])
          : flag(argv, ['R', 'rate']);
    const rate = rateText === undefined ? d.rate : Number(rateText);
    if (!Number.isInteger(c0) || c0 < 1 || (rate !== undefined && !Number.isFinite(rate))) return undefined;
    const out: LoadGenerator = {
      tool,
      connections: c0,
      perRequestConnections: tool === 'oha' && argv.includes('--disable-keepalive'),
      url,
      evidence: `${tool} ${argv.filter((a) => a !== url).join(' ')}`.trim(),
    };
    // fortio: -qps 0 or negative means no wait between requests.
    if (rate !== undefined && rate > 0) out.rateCap = rate;
    return out;
  }
  return undefined;
}

/** A load-generator workload no Service selects, what it runs, and the service its URL reaches. */
export interface LoadClient {
  service: ImportedService;
  gen: LoadGenerator;
  /** Scenario service key its URL reaches (directly, or as an ingress gateway's first backend). */
  to?: string;
  via?: string;
}

export function loadClients(set: ServiceSet, ingresses: readonly Ingress[]): LoadClient[] {
  const keys = new Set(set.services.map((s) => s.key));
  const out: LoadClient[] = [];
  for (const s of set.services) {
    if (s.kube || s.workloads.length !== 1) continue;
    const gen = loadGenerator(s.workloads[0]!);
    if (!gen) continue;
    const host = /^https?:\/\/([^/:?#]+)/.exec(gen.url)?.[1]?.toLowerCase() ?? '';
    const key = hostKey(host, s.namespace);
    const target = set.alias.get(key) ?? key;
    const g = ingressByHost(ingresses, key);
    const backend = g?.backends[0];
    if (keys.has(target)) out.push({ service: s, gen, to: target });
    else if (g && backend)
      out.push({ service: s, gen, to: set.alias.get(backend) ?? backend, via: `${g.namespace}/${g.name}` });
    else out.push({ service: s, gen });
  }
  return out;
}

/**
 * The traffic fields a load client's manifest gives: its closed loop (unless `entry` already has a rate,
 * an arrival or a loop), its pod's resources and its replicas as client pods; notes say where from.
 */
export function applyLoadClient(entry: Json, c: LoadClient, path: Path, notes: Notes): void {
  const w = c.service.workloads[0]!;
  notes.before(
    path,
    `from ${w.kind} ${w.namespace}/${w.name} (${where(w.manifest.source)}), a load generator: ${c.gen.evidence}${c.via ? ` via ingress ${c.via}` : ''}`,
  );
  if (entry.rate === undefined && entry.arrival === undefined && entry.closedLoop === undefined) {
    entry.closedLoop = {
      connections: c.gen.connections,
      ...(c.gen.rateCap !== undefined ? { rateCap: `${c.gen.rateCap}/s` } : {}),
    };
    if (c.gen.perRequestConnections && entry.connection === undefined) entry.connection = 'per-request';
  } else if (entry.closedLoop === undefined)
    notes.before(
      path,
      `its arguments describe a closed loop of ${c.gen.connections} connections; the --calls file's rate is used`,
    );
  if (entry.clients === undefined) entry.clients = w.replicas ?? 1;
  runWhereItRuns(entry, w, path, notes);
  if (obj(entry.clientPod).resources === undefined) {
    const requests: Json = {};
    const limits: Json = {};
    if (w.requests.cpu !== undefined) requests.cpu = cpuText(w.requests.cpu);
    if (w.requests.memory !== undefined) requests.memory = memoryText(w.requests.memory);
    if (w.limits.cpu !== undefined) limits.cpu = cpuText(w.limits.cpu);
    if (w.limits.memory !== undefined) limits.memory = memoryText(w.limits.memory);
    if (Object.keys(requests).length + Object.keys(limits).length > 0)
      entry.clientPod = {
        ...obj(entry.clientPod),
        resources: {
          ...(Object.keys(requests).length > 0 ? { requests } : {}),
          ...(Object.keys(limits).length > 0 ? { limits } : {}),
        },
      };
  }
}

/**
 * The load generator runs in its own namespace, meshed as that namespace is labelled (the scenario's
 * clientPod.namespace), unless its pod opts out: `sidecar.istio.io/inject: "false"` (label or
 * annotation) keeps the sidecar injector away (istio.io/latest/docs/setup/additional-setup/
 * sidecar-injection/#controlling-the-injection-policy), `istio.io/dataplane-mode: none` keeps ztunnel from
 * capturing it (istio.io/latest/docs/ambient/usage/add-workloads/), so it sends unmeshed (clientMode
 * none). A --calls file that sets either wins.
 */
function runWhereItRuns(entry: Json, w: Workload, path: Path, notes: Notes): void {
  const pod = obj(entry.clientPod);
  if (pod.namespace === undefined) entry.clientPod = { ...pod, namespace: w.namespace };
  const optOut =
    w.podAnnotations['sidecar.istio.io/inject'] === 'false' ||
    w.podLabels['sidecar.istio.io/inject'] === 'false'
      ? 'sidecar.istio.io/inject=false'
      : w.podLabels['istio.io/dataplane-mode'] === 'none'
        ? 'istio.io/dataplane-mode=none'
        : null;
  if (optOut && entry.clientMode === undefined) {
    entry.clientMode = 'none';
    notes.inline(
      [...path, 'clientMode'],
      `its pod has ${optOut}: not meshed, whatever its namespace's labels`,
    );
  }
}
