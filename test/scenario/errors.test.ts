import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario, ScenarioError, type ScenarioIssue } from '../../src/scenario/index.ts';

function issuesOf(text: string): ScenarioIssue[] {
  try {
    parseScenario(text, 'test.yaml');
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

/** `file:line:col: path: message` lines, the form users see. */
const lines = (text: string) => issuesOf(text).map((i) => `${i.line}:${i.column}: ${i.path}: ${i.message}`);

const HEAD = `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools:
    - { name: p, instanceType: m5.xlarge, count: 2 }
`;
const TRAFFIC = `traffic:
  - { name: web, to: a, rate: 10/s }
`;

describe('schema errors', () => {
  it('reports every problem at once with position, path, found and expected', () => {
    const text = `${HEAD}services:
  - name: a
    replcas: 3
    concurrency: 0
    resources: { requests: { cpu: 250mm } }
    calls:
      - { to: b, mode: sequental }
  - name: b
    serviceTime: { uniform: { min: 3ms, max: 2ms } }
${TRAFFIC}simulation: { replications: 101 }
`;
    const issues = issuesOf(text);
    expect(issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.path}: ${i.message}`)).toEqual([
      'test.yaml:9:5: services[0].replcas: unknown field "replcas"; did you mean "replicas"?',
      'test.yaml:10:18: services[0].concurrency: found "0", expected an integer from 1 to 1000000',
      'test.yaml:11:35: services[0].resources.requests.cpu: found "250mm", expected a CPU quantity such as 250m or 1.5',
      'test.yaml:13:24: services[0].calls[0].mode: found "sequental", expected one of: sequential, parallel; did you mean "sequential"?',
      'test.yaml:15:46: services[1].serviceTime.uniform.max: found "2ms", expected a duration greater than min',
      'test.yaml:18:29: simulation.replications: found "101", expected an integer from 1 to 100',
    ]);
    const concurrency = issues[1];
    expect(concurrency).toMatchObject({
      found: '0',
      expected: 'an integer from 1 to 1000000',
      path: 'services[0].concurrency',
    });
  });

  it('formats the error message one issue per line', () => {
    const text = `${HEAD}services: [{ name: a, replicas: -1 }]\n${TRAFFIC}`;
    expect(() => parseScenario(text, 'quickstart.yaml')).toThrow(
      'quickstart.yaml:7:33: services[0].replicas: found "-1", expected an integer from 0 to 150000',
    );
  });

  it('points a missing required field at its parent, found nothing', () => {
    const [issue] = issuesOf(`${HEAD}services: [{ replicas: 1 }]\n${TRAFFIC}`);
    expect(issue).toMatchObject({ line: 7, column: 12, path: 'services[0].name', found: 'nothing' });
  });

  it('positions YAML syntax errors', () => {
    const [issue, ...rest] = issuesOf(`${HEAD}services:\n  - name: a\n   bad: [1, 2\n`);
    expect(issue?.line).toBeGreaterThanOrEqual(8);
    expect(issue?.column).toBeGreaterThanOrEqual(1);
    expect(issue?.path).toBe('<root>');
    expect(rest.every((i) => i.line !== undefined)).toBe(true);
  });

  it('reports duplicate YAML keys', () => {
    const issues = issuesOf(`${HEAD}services: [{ name: a, name: b }]\n${TRAFFIC}`);
    expect(issues[0]?.line).toBe(7);
  });

  it('rejects an empty document as a whole-file issue', () => {
    const [issue] = issuesOf('# nothing here\n');
    expect(issue).toMatchObject({ file: 'test.yaml', path: '<root>', found: 'nothing' });
    expect(issue?.line).toBeUndefined();
  });

  it('names an unknown distribution and event kind with did-you-mean', () => {
    const text = `${HEAD}services: [{ name: a, serviceTime: { exponental: { mean: 1ms } } }]
${TRAFFIC}events:
  - { at: 1s, scael: a, replicas: 2 }
  - { at: 1s, upgrade: dataplan }
`;
    expect(lines(text)).toEqual([
      '7:38: services[0].serviceTime.exponental: found "exponental", expected exactly one of: constant, uniform, exponential, normal, lognormal, pareto, empirical (a distribution); did you mean "exponential"?',
      '11:15: events[0].scael: found "scael", expected exactly one of: upgrade, migrate, scale, fault (the kind of event); did you mean "scale"?',
      '12:24: events[1].upgrade: found "dataplan", expected one of: dataplane, waypoint, gateway, control-plane; did you mean "dataplane"?',
    ]);
  });

  it('checks distribution parameter relations where they break', () => {
    const text = `${HEAD}services:
  - name: a
    serviceTime: { lognormal: { mean: 5ms, p99: 2ms } }
  - name: b
    serviceTime: { empirical: [[0, 1ms], [50, 3ms], [40, 2ms], [99, 8ms]] }
${TRAFFIC}`;
    expect(lines(text)).toEqual([
      '9:49: services[0].serviceTime.lognormal.p99: found "2ms", expected a duration greater than mean',
      '11:54: services[1].serviceTime.empirical[2][0]: found "40", expected a percentile greater than 50 (increasing)',
      '11:58: services[1].serviceTime.empirical[2][1]: found "2ms", expected a duration >= the previous one (non-decreasing)',
      '11:65: services[1].serviceTime.empirical[3][0]: found "99", expected the last percentile to be 100',
    ]);
  });
});

describe('cross-reference errors', () => {
  it('detects a call cycle and names it', () => {
    const text = `${HEAD}services:
  - { name: a, calls: [{ to: b }] }
  - { name: b, calls: [{ to: c }] }
  - { name: c, calls: [{ to: a }] }
${TRAFFIC}`;
    expect(lines(text)).toEqual([
      '10:30: services[2].calls[0].to: call cycle default/a -> default/b -> default/c -> default/a: a request would recurse forever',
    ]);
  });

  it('reports unknown targets, waypoints, namespaces and duplicates, each positioned', () => {
    const text = `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools:
    - { name: p, instanceType: m5.xlarg, count: 2 }
waypoints:
  - { name: pay-wp, namespace: billing }
  - { name: other-wp, namespace: nowhere }
services:
  - name: payments
    namespace: billing
    labels: { istio.io/use-waypoint: pay-wq }
    sidecarPods: 2
    calls: [{ to: ledgr }, { to: ledger, count: 1, probability: 0.5 }]
  - { name: ledger, namespace: billing }
  - { name: ledger, namespace: billing }
traffic:
  - { name: web, to: payments, rate: 10/s }
  - { name: web, to: nope.billing, rate: 10/s }
simulation: { duration: 10s, warmup: 10s }
events:
  - { at: 5s, migrate: [billing, biling] }
  - { at: 5s, fault: node, selector: p-2 }
`;
    expect(lines(text)).toEqual([
      '6:32: cluster.nodePools[0].instanceType: found "m5.xlarg", expected an instance type of the catalogue (m5.large, m5.xlarge, m6i.xlarge, c6i.xlarge, e2-standard-4, n2-standard-4, Standard_D4s_v5) or custom; did you mean "m5.xlarge"?',
      '9:34: waypoints[1].namespace: found "nowhere", expected a declared namespace (or one a service is in)',
      '13:38: services[0].labels["istio.io/use-waypoint"]: found "pay-wq", expected the name of a declared waypoint; did you mean "pay-wp"?',
      '14:18: services[0].sidecarPods: found "2", expected an integer from 0 to replicas (1)',
      '15:19: services[0].calls[0].to: found "ledgr", expected the name of a declared service (in namespace billing, or name.namespace); did you mean "ledger"?',
      '15:52: services[0].calls[1].probability: found "probability", expected either count or probability, not both',
      '17:13: services[2].name: found "ledger", expected a service name not used before in namespace billing',
      '20:13: traffic[1].name: found "web", expected an entry point name not used before',
      '20:22: traffic[1].to: found "nope.billing", expected the name of a declared service (or name.namespace)',
      '21:38: simulation.warmup: found "10s", expected a warmup shorter than the duration (warmup 10s, duration 10s)',
      '23:34: events[0].migrate[1]: found "biling", expected a declared namespace (or one a service is in); did you mean "billing"?',
      '24:38: events[1].selector: found "p-2", expected a node index 0..1 or a node name <pool>-<i>',
    ]);
  });

  it('rejects a namespace labelled for both sidecar and ambient', () => {
    const text = `${HEAD}namespaces:
  - name: shop
    labels: { istio-injection: enabled, istio.io/dataplane-mode: ambient }
services: [{ name: a, namespace: shop }]
${TRAFFIC}`;
    const [issue] = issuesOf(text);
    expect(issue).toMatchObject({ line: 9, path: 'namespaces[0].labels' });
    expect(issue?.expected).toMatch(/not both/);
  });
});

describe('loadScenario', () => {
  it('reports an unreadable file as a whole-file issue', () => {
    expect(() => loadScenario('/nonexistent/scenario.yaml')).toThrow(ScenarioError);
    try {
      loadScenario('/nonexistent/scenario.yaml');
    } catch (e) {
      expect((e as ScenarioError).issues[0]?.file).toBe('/nonexistent/scenario.yaml');
      expect((e as ScenarioError).issues[0]?.line).toBeUndefined();
      expect((e as ScenarioError).message).toBe(
        '/nonexistent/scenario.yaml: <root>: cannot read the file: the file does not exist',
      );
    }
  });
});

describe('schema and cross-reference errors together', () => {
  it('reports a misspelt key and an unknown call target in the same run', () => {
    const text = `${HEAD}services:
  - name: a
    replcas: 3
    calls:
      - { to: nowhere }
${TRAFFIC}`;
    const got = lines(text);
    expect(got).toHaveLength(2);
    expect(got[0]).toMatch(
      /^9:5: services\[0\]\.replcas: unknown field "replcas"; did you mean "replicas"\?$/,
    );
    expect(got[1]).toMatch(/^11:15: services\[0\]\.calls\[0\]\.to: found "nowhere"/);
  });

  it('does not report cross-reference problems inside the parts the schema rejected', () => {
    const text = `${HEAD}services:
  - name: a
    calls: { to: nowhere }
${TRAFFIC}`;
    const got = lines(text);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(/services\[0\]\.calls/);
  });
});

describe('mesh.version', () => {
  const text = (v: string) => `${HEAD}services: [{ name: a }]\n${TRAFFIC}mesh: { version: ${v} }\n`;
  it('defaults to the newest supported version and reads an unquoted number', () => {
    expect(parseScenario(`${HEAD}services: [{ name: a }]\n${TRAFFIC}`, 't.yaml').mesh.version).toBe('1.28');
    expect(parseScenario(text('1.26'), 't.yaml').mesh.version).toBe('1.26');
    expect(parseScenario(text('"1.22"'), 't.yaml').mesh.version).toBe('1.22');
  });
  it('rejects an unsupported version at its position', () => {
    expect(lines(text('1.21'))).toEqual([
      '10:18: mesh.version: found "1.21", expected an Istio minor version, one of: 1.22, 1.23, 1.24, 1.25, 1.26, 1.27, 1.28; did you mean "1.22"?',
    ]);
  });
});
