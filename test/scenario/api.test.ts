import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  applyOverrides,
  DEFAULT_MESH,
  parseScenario,
  ScenarioError,
  scenarioHash,
  scenarioJsonSchema,
} from '../../src/scenario/index.ts';
import { check } from './json-schema-check.ts';

const quickstart = readFileSync(
  fileURLToPath(new URL('../../scenarios/quickstart.yaml', import.meta.url)),
  'utf8',
);

describe('immutability', () => {
  it('shares no mutable object with the defaults or with another parse', () => {
    const meshBefore = structuredClone(DEFAULT_MESH);
    const a = parseScenario(quickstart, 'q.yaml');
    const b = parseScenario(quickstart, 'q.yaml');
    a.mesh.sidecar.cost.criticalPath = { kind: 'constant', value: 1 };
    a.mesh.ztunnel.resources.requests.cpu = 99;
    a.cluster.network.sameNode = 1;
    a.lifecycle.podStartup = { kind: 'constant', value: 0 };
    a.services[0]?.calls[0]?.connection && (a.services[0].calls[0].connection.poolSize = 1000);
    expect(DEFAULT_MESH).toEqual(meshBefore);
    expect(b).toEqual(parseScenario(quickstart, 'q.yaml'));
  });

  it('applyOverrides returns a new scenario and leaves the input untouched', () => {
    const s = parseScenario(quickstart, 'q.yaml');
    const before = structuredClone(s);
    const o = applyOverrides(s, { seed: 7, replications: 5, duration: 60, compare: ['ambient'] });
    expect(s).toEqual(before);
    expect(o).not.toBe(s);
    expect(o.simulation).toMatchObject({ seed: 7, replications: 5, duration: 60 });
    expect(o.compare).toEqual(['ambient']);
    expect(o.services).not.toBe(s.services);
    expect(applyOverrides(s, {})).toEqual(s);
  });

  it('applyOverrides rejects values the file could not hold', () => {
    const s = parseScenario(quickstart, 'q.yaml');
    expect(() => applyOverrides(s, { duration: 1 })).toThrow(ScenarioError); // warmup is 2s
    expect(() => applyOverrides(s, { replications: 0 })).toThrow(/replications/);
    expect(() => applyOverrides(s, { seed: -1 })).toThrow(/seed/);
    expect(() => applyOverrides(s, { compare: ['ambient', 'ambient'] })).toThrow(/compare/);
  });
});

describe('scenarioHash', () => {
  it('is stable across parses, key order and formatting, and changes with content', () => {
    const a = scenarioHash(parseScenario(quickstart, 'a.yaml'));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(
      scenarioHash(parseScenario(quickstart.replace('kind: Scenario\n', 'kind:   Scenario\n'), 'b.yaml')),
    ).toBe(a);
    const s = parseScenario(quickstart, 'a.yaml');
    const reordered = Object.fromEntries(Object.entries(s).reverse()) as typeof s;
    expect(scenarioHash(reordered)).toBe(a);
    expect(scenarioHash(applyOverrides(s, { seed: 2 }))).not.toBe(a);
  });
});

describe('JSON Schema', () => {
  it('scenarios/schema.json is the generated one (run `npx tsx scripts/gen-schema.ts`)', () => {
    const committed = readFileSync(
      fileURLToPath(new URL('../../scenarios/schema.json', import.meta.url)),
      'utf8',
    );
    expect(committed).toBe(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  });

  it('describes the raw file: strict objects, unit strings with patterns, required fields', () => {
    const schema = scenarioJsonSchema() as {
      additionalProperties: boolean;
      required: string[];
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(
      expect.arrayContaining(['apiVersion', 'kind', 'metadata', 'cluster', 'services', 'traffic']),
    );
    const sim = schema.properties.simulation?.properties?.duration as { type: string[]; pattern: string };
    expect(sim.type).toEqual(['string', 'number']);
    expect(new RegExp(sim.pattern).test('1m30s')).toBe(true);
    expect(new RegExp(sim.pattern).test('30 seconds')).toBe(false);
  });
});

describe('bundled scenarios against schema.json', () => {
  const schema = scenarioJsonSchema() as Record<string, unknown>;
  it.each(['quickstart.yaml', 'billing.yaml', 'three-tier.yaml'])('%s validates structurally', (name) => {
    const text = readFileSync(fileURLToPath(new URL(`../../scenarios/${name}`, import.meta.url)), 'utf8');
    expect(check(schema, parse(text))).toEqual([]);
  });

  it('flags what the loader rejects', () => {
    const bad = parse(
      quickstart.replace('replicas: 3', 'replcas: 3').replace('rate: 200/s', 'rate: 200/sec'),
    );
    expect(check(schema, bad)).toEqual([
      '$.services[0]: unknown property replcas',
      '$.traffic[0].rate: does not match ^(?:\\d+(?:\\.\\d+)?|\\.\\d+)(?:/(?:s|ms|min|h))?$',
    ]);
  });
});
