// Where a scenario rule's finding points: the line of the object in the scenario text (check/locate.ts).
import { describe, expect, it } from 'vitest';
import { scenarioLocator } from '../../src/check/locate.ts';

const TEXT = `apiVersion: meshsim/v1alpha1
kind: Scenario
namespaces:
  - name: shop
  - name: pay
services:
  - name: web
    namespace: shop
  - name: web
    namespace: pay
  - name: db
  - name: web
    namespace: shop
traffic:
  - name: users
    to: shop/web
`;

describe('scenarioLocator', () => {
  const locate = scenarioLocator('s.yaml', TEXT);

  it('finds a service by namespace and name, the namespace defaulting to default', () => {
    expect(locate('service', 'shop/web')).toEqual({
      kind: 'Service',
      name: 'web',
      namespace: 'shop',
      file: 's.yaml',
      line: 7,
    });
    expect(locate('service', 'pay/web').line).toBe(9);
    expect(locate('service', 'default/db').line).toBe(11);
  });

  it('points at the first object of a name, as a reader scanning the file finds it', () => {
    expect(locate('service', 'shop/web').line).toBe(7);
  });

  it('finds namespaces and entry points by name', () => {
    expect(locate('namespace', 'pay')).toMatchObject({ kind: 'Namespace', name: 'pay', line: 5 });
    expect(locate('traffic', 'users')).toMatchObject({ kind: 'EntryPoint', line: 15 });
  });

  it('names the file without a line for an object it cannot find, or without text', () => {
    expect(locate('service', 'pay/db')).toEqual({
      kind: 'Service',
      name: 'db',
      namespace: 'pay',
      file: 's.yaml',
    });
    expect(locate('waypoint', 'w')).toEqual({ kind: 'Waypoint', name: 'w', file: 's.yaml' });
    expect(scenarioLocator('t.yaml', undefined)('namespace', 'shop')).toEqual({
      kind: 'Namespace',
      name: 'shop',
      file: 't.yaml',
    });
  });

  it('locates each of thousands of services at its own line', () => {
    const n = 3000;
    const body = Array.from({ length: n }, (_, i) => `  - name: s${i}\n    namespace: ns${i % 7}\n`).join('');
    const many = scenarioLocator('m.yaml', `services:\n${body}`);
    for (let i = 0; i < n; i += 97) expect(many('service', `ns${i % 7}/s${i}`).line).toBe(2 + 2 * i);
  });
});
