// HorizontalPodAutoscalers become the scenario's `autoscaling` where meshsim's controller can run them
// (a service that is one Deployment, scaling on CPU utilisation), and a note says what is left out.
import { describe, expect, it } from 'vitest';
import { importScenario, parseManifests } from '../../src/import/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';

function app(kind: 'Deployment' | 'StatefulSet', replicas: number | null): string {
  return (
    `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: web\n  namespace: shop\nspec:\n` +
    `${replicas === null ? '' : `  replicas: ${replicas}\n`}  selector:\n    matchLabels: { app: web }\n` +
    '  template:\n    metadata:\n      labels: { app: web }\n    spec:\n      containers:\n' +
    '        - name: main\n          image: x/web\n          resources:\n            requests: { cpu: 250m, memory: 128Mi }\n' +
    '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n' +
    '  selector: { app: web }\n  ports: [{ port: 8080 }]\n'
  );
}

function hpa(body: string, apiVersion = 'autoscaling/v2', kind = 'Deployment'): string {
  return (
    `---\napiVersion: ${apiVersion}\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web-hpa\n  namespace: shop\n` +
    `spec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: ${kind}, name: web }\n${body}`
  );
}

/** `spec.maxReplicas` and one `Resource` metric per (name, target) pair. */
function resourceMetrics(max: number, ...metrics: [string, string][]): string {
  return (
    `  maxReplicas: ${max}\n  metrics:\n` +
    metrics
      .map(([name, target]) => `    - type: Resource\n      resource: { name: ${name}, target: ${target} }\n`)
      .join('')
  );
}

function load(text: string) {
  const { manifests, issues } = parseManifests(text, 'shop.yaml');
  expect(issues).toEqual([]);
  const r = importScenario(manifests, { sources: ['shop.yaml'], inferCalls: true });
  const s = parseScenario(r.text, 'shop-scenario.yaml');
  return { text: r.text, web: s.services.find((x) => x.name === 'web')! };
}

describe('import of HorizontalPodAutoscalers', () => {
  it('a v2 HPA on CPU utilisation with a behaviour is imported whole, starting from spec.replicas', () => {
    const { text, web } = load(
      app('Deployment', 3) +
        hpa(
          '  minReplicas: 2\n  maxReplicas: 12\n  metrics:\n' +
            '    - type: Resource\n      resource: { name: cpu, target: { type: Utilization, averageUtilization: 60 } }\n' +
            '  behavior:\n    scaleUp:\n      stabilizationWindowSeconds: 30\n' +
            '      policies: [{ type: Pods, value: 2, periodSeconds: 20 }, { type: Percent, value: 50, periodSeconds: 20 }]\n' +
            '      selectPolicy: Min\n    scaleDown:\n      stabilizationWindowSeconds: 120\n' +
            '      policies: [{ type: Percent, value: 10, periodSeconds: 60 }]\n',
        ),
    );
    expect(web.replicas).toBe(3);
    const a = web.autoscaling!;
    expect([a.minReplicas, a.maxReplicas, a.targetCPUUtilization]).toEqual([2, 12, 60]);
    expect(a.scaleUp).toEqual({
      stabilizationWindow: 30,
      selectPolicy: 'Min',
      policies: [
        { type: 'Pods', value: 2, period: 20 },
        { type: 'Percent', value: 50, period: 20 },
      ],
    });
    expect(a.scaleDown.stabilizationWindow).toBe(120);
    expect(a.scaleDown.policies).toEqual([{ type: 'Percent', value: 10, period: 60 }]);
    // what the behaviour does not say is Kubernetes' default (scale-down's select policy: Max)
    expect(a.scaleDown.selectPolicy).toBe('Max');
    expect(text).toMatch(
      /HorizontalPodAutoscaler web-hpa on Deployment web: imported as autoscaling, starting from spec.replicas\n/,
    );
  });

  it('no metrics means 80 % CPU (v2), as does a v1 HPA without a target; v1 reads targetCPUUtilizationPercentage', () => {
    expect(
      load(app('Deployment', null) + hpa('  maxReplicas: 5\n')).web.autoscaling?.targetCPUUtilization,
    ).toBe(80);
    const v1 = load(
      app('Deployment', null) +
        hpa('  maxReplicas: 5\n  targetCPUUtilizationPercentage: 70\n', 'autoscaling/v1'),
    );
    expect(v1.web.autoscaling?.targetCPUUtilization).toBe(70);
    // no spec.replicas: the Deployment starts at the HPA's minimum (1 by default)
    expect(v1.web.replicas).toBe(1);
    const bare = load(app('Deployment', null) + hpa('  maxReplicas: 5\n', 'autoscaling/v1'));
    expect(bare.web.autoscaling?.targetCPUUtilization).toBe(80);
  });

  it('other metrics beside CPU: the CPU target is kept and the note names what is not modelled', () => {
    const { text, web } = load(
      app('Deployment', 2) +
        hpa(
          resourceMetrics(
            8,
            ['memory', '{ type: Utilization, averageUtilization: 70 }'],
            ['cpu', '{ type: Utilization, averageUtilization: 75 }'],
          ) +
            '    - type: Pods\n      pods: { metric: { name: rps }, target: { type: AverageValue, averageValue: "100" } }\n',
        ),
    );
    expect(web.autoscaling?.targetCPUUtilization).toBe(75);
    expect(text).toMatch(
      /imported as autoscaling, starting from spec.replicas; not modelled: Resource memory Utilization .*; Pods metric/,
    );
  });

  it('a ContainerResource CPU metric: the application container, or istio-proxy', () => {
    const container = (name: string) =>
      load(
        app('Deployment', 2) +
          hpa(
            '  maxReplicas: 8\n  metrics:\n    - type: ContainerResource\n' +
              `      containerResource: { name: cpu, container: ${name}, target: { type: Utilization, averageUtilization: 60 } }\n`,
          ),
      );
    const main = container('main');
    expect(main.web.autoscaling).toMatchObject({ targetCPUUtilization: 60, container: 'application' });
    expect(main.text).toContain("not modelled: container main taken as the application's containers");
    expect(container('istio-proxy').web.autoscaling?.container).toBe('istio-proxy');
  });

  it('without a CPU utilisation target, on a StatefulSet, or with bad bounds: a fixed count and the reason', () => {
    const memoryOnly = load(
      app('Deployment', 2) +
        hpa(resourceMetrics(8, ['memory', '{ type: Utilization, averageUtilization: 70 }'])),
    );
    expect(memoryOnly.web.autoscaling).toBeUndefined();
    expect(memoryOnly.web.replicas).toBe(2);
    expect(memoryOnly.text).toMatch(
      /web-hpa on Deployment web: 1\.\.8 replicas, not imported \(Resource memory Utilization .*no CPU utilisation target to scale on\); the scenario runs a fixed count/,
    );

    const averageValue = load(
      app('Deployment', 2) + hpa(resourceMetrics(8, ['cpu', '{ type: AverageValue, averageValue: 200m }'])),
    );
    expect(averageValue.web.autoscaling).toBeUndefined();

    const sts = load(app('StatefulSet', 3) + hpa('  maxReplicas: 6\n', 'autoscaling/v2', 'StatefulSet'));
    expect(sts.web.autoscaling).toBeUndefined();
    expect(sts.web.replicas).toBe(3);
    expect(sts.text).toMatch(/not imported \(meshsim's controller scales Deployments, not a StatefulSet\)/);

    const noMax = load(app('Deployment', 2) + hpa('  minReplicas: 2\n'));
    expect(noMax.web.autoscaling).toBeUndefined();
    expect(noMax.text).toMatch(/no valid spec.maxReplicas/);
  });

  it('out-of-range behaviour fields are dropped with a note; the rest is imported', () => {
    const { text, web } = load(
      app('Deployment', 2) +
        hpa(
          '  maxReplicas: 8\n  behavior:\n    scaleDown:\n      stabilizationWindowSeconds: 7200\n' +
            '      policies: [{ type: Pods, value: 1, periodSeconds: 3600 }, { type: Pods, value: 2, periodSeconds: 30 }]\n',
        ),
    );
    expect(web.autoscaling?.scaleDown.stabilizationWindow).toBe(300); // the default kept
    expect(web.autoscaling?.scaleDown.policies).toEqual([{ type: 'Pods', value: 2, period: 30 }]);
    expect(text).toMatch(
      /scaleDown.stabilizationWindowSeconds 7200 \(expected whole seconds from 0 to 3600; the default kept\)/,
    );
  });
});
