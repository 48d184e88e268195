// Retries on the request path (issue 12 item 2), on the hand world (sidecar caller -> two sidecar pods,
// 10 requests/s, 2 ms service time, Istio's default policy): what the caller's sidecar sees decides.
import { describe, expect, it } from 'vitest';
import { place } from '../../../src/cluster/index.ts';
import { defaultRetryOn, retryBits } from '../../../src/mesh/index.ts';
import { parseScenario, ScenarioError } from '../../../src/scenario/index.ts';
import { buildWorld, Replication } from '../../../src/simulate/index.ts';
import { handScenarioText } from '../../helpers/scenario-text.ts';
import { handWorld } from '../parts/hand-world.ts';

const run = (version: string, fault: (r: Replication) => void) => {
  const w = handWorld({ duration: 10, warmup: 0 });
  w.edges[0]!.retryOn = retryBits(defaultRetryOn(version));
  const r = new Replication(w, 'retries');
  fault(r);
  r.run();
  return r.recorder;
};

describe('retries follow what the retrier sees', () => {
  // api-0's application stops while its sidecar runs and it stays in load balancing: the sidecar answers
  // 503 (upstream connect failure) to every request sent there.
  const appDown = (r: Replication) => r.host.after(3, () => r.host.setUp(1, false));

  it('a 503 relayed by the callee sidecar is retried before 1.24, not from 1.24', () => {
    const old = run('1.23', appDown);
    expect(old.requestsRetried).toBeGreaterThan(20);
    // Retries avoid the host already tried (previous_hosts): they land on api-1, so hardly any fail.
    expect(old.entryFailed[0]!).toBeLessThan(old.requestsRetried / 20);
    const now = run('1.28', appDown);
    expect(now.requestsRetried).toBe(0);
    expect(now.entryFailed[0]!).toBeGreaterThan(20);
  });

  it('the callee sidecar dead: connect-failure, retried in every version', () => {
    for (const v of ['1.23', '1.28']) {
      const rec = run(v, (r) => r.host.after(3, () => r.host.setProxyUp(1, false)));
      expect(rec.requestsRetried, v).toBeGreaterThan(20);
    }
  });

  it('the pod killed mid-request: a reset after send, not retried', () => {
    // Each request holds api-0's worker for 2 ms; kill it while requests are in its application.
    const rec = run('1.23', (r) => {
      for (let t = 3; t < 3.5; t += 0.0005) {
        r.host.after(t, () => {
          if (r.apps.queues.busy(1) === 0 || r.pods.aliveFrom[1] !== 0) return;
          r.host.setReady(1, false);
          r.host.kill(1, 0);
        });
      }
    });
    expect(rec.entryFailed[0]).toBe(1);
    expect(rec.callsFailed).toBe(1);
    expect(rec.requestsRetried).toBe(0);
  });
});

describe('retryOn in the scenario', () => {
  const text = (retryOn: string) =>
    handScenarioText({ compare: ['sidecar'] }).replace(
      '    connection: keepalive\n',
      `    connection: keepalive\n    retryOn: ${retryOn}\n`,
    );

  it("a call's own conditions replace Istio's default; none given: the default of mesh.version", () => {
    const s = parseScenario(text('[reset, connect-failure]'), 'r.yaml');
    expect(s.traffic[0]!.retryOn).toEqual(['reset', 'connect-failure']);
    const w = buildWorld(s, place(s, 'sidecar'));
    expect(w.edges[0]!.retryOn).toBe(retryBits(['reset', 'connect-failure']));
    const d = parseScenario(handScenarioText({ compare: ['sidecar'], mesh: '  version: "1.23"' }), 'd.yaml');
    expect(d.traffic[0]!.retryOn).toBeNull();
    expect(buildWorld(d, place(d, 'sidecar')).edges[0]!.retryOn).toBe(retryBits(defaultRetryOn('1.23')));
  });

  it('an unknown condition is a positioned scenario error', () => {
    const parse = () => parseScenario(text('[retry-always]'), 'r.yaml');
    expect(parse).toThrow(ScenarioError);
    // The message is the formatted issues: file:line:col, the field path, what was found and expected.
    expect(parse).toThrow(/r\.yaml:\d+:\d+[\s\S]*retryOn[\s\S]*retry-always/);
  });
});
