// Disruption events: each has `at` and exactly one of upgrade / migrate / scale / fault.
import { z } from 'zod';
import { alt, byKey, isPlainObject } from './alt.ts';
import { bool, dnsName, duration, int, intOrPercent, list, MAX, obj, oneOf, str } from './fields.ts';
import { targetVersion } from './version.ts';

const PARALLEL = `an integer from 1 to ${MAX.deployments} or all`;
const rollout = {
  maxSurge: intOrPercent().optional(),
  maxUnavailable: intOrPercent().optional(),
  parallelDeployments: z.union([int(1, MAX.deployments), z.literal('all')], { error: PARALLEL }).optional(),
};

const dataplane = obj({
  at: duration(),
  upgrade: oneOf(['dataplane']),
  strategy: oneOf(['rolling', 'cordon-drain', 'blue-green']).default('rolling'),
  ...rollout,
  daemonSet: obj({
    maxSurge: intOrPercent().optional(),
    maxUnavailable: intOrPercent().optional(),
  }).optional(),
  to: targetVersion().optional(),
});
const waypoint = obj({
  at: duration(),
  upgrade: oneOf(['waypoint']),
  waypoint: dnsName().optional(),
  ...rollout,
});
const gateway = obj({
  at: duration(),
  upgrade: oneOf(['gateway']),
  ...rollout,
});
const controlPlane = obj({
  at: duration(),
  upgrade: oneOf(['control-plane']),
  to: targetVersion().optional(),
  ...rollout,
});
const migrate = obj({
  at: duration(),
  migrate: list(dnsName(), 1),
  sequential: bool().default(true),
  ...rollout,
});
const scale = obj({ at: duration(), scale: str(), replicas: int(0, MAX.replicas) });

const SELECTOR =
  "a service, a node index or name (<pool>-<i>), a waypoint name, or the ingress gateway's name";
const selector = () =>
  z.union([z.string().min(1), z.int().min(0)], { error: SELECTOR }).transform((v) => String(v));
const fault = obj({
  at: duration(),
  fault: oneOf(['sidecar', 'ztunnel', 'waypoint', 'gateway', 'node']),
  selector: selector(),
  recovery: duration().optional(),
  notReadyAfter: duration().optional(),
  evictAfter: duration().optional(),
});

export type RawEvent =
  | z.output<typeof dataplane>
  | z.output<typeof waypoint>
  | z.output<typeof gateway>
  | z.output<typeof controlPlane>
  | z.output<typeof migrate>
  | z.output<typeof scale>
  | z.output<typeof fault>;

const UPGRADES: Record<string, z.ZodType> = { dataplane, waypoint, gateway, 'control-plane': controlPlane };
const KINDS: Record<string, z.ZodType> = { upgrade: dataplane, migrate, scale, fault };

export const event = alt<RawEvent>(
  [dataplane, waypoint, gateway, controlPlane, migrate, scale, fault],
  (v) => {
    if (!isPlainObject(v))
      return { path: [], expected: 'a map with `at` and one of: upgrade, migrate, scale, fault' };
    const choice = byKey(v, KINDS, 'the kind of event');
    if (!('schema' in choice) || choice.schema !== dataplane) return choice;
    const target = typeof v.upgrade === 'string' ? UPGRADES[v.upgrade] : undefined;
    if (target) return { schema: target };
    const names = Object.keys(UPGRADES);
    return { path: ['upgrade'], expected: `one of: ${names.join(', ')}`, candidates: names };
  },
);
