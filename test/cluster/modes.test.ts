import { describe, expect, it } from 'vitest';
import { clientDataplane, resolveModes, serviceDataplane } from '../../src/cluster/index.ts';
import type { Architecture } from '../../src/scenario/types.ts';
import { entry, frozen, ns, scenario, service } from './fixtures.ts';

const s = frozen(
  scenario({
    namespaces: [ns('legacy', 'none'), ns('shop', 'sidecar'), ns('billing', 'ambient')],
    services: [
      service('legacy/db'),
      service('shop/web', { replicas: 3 }),
      service('shop/batch', { inject: false }),
      service('billing/pay', { replicas: 4, sidecarPods: 2 }),
      service('billing/ledger', { replicas: 2, sidecarPods: 2, inject: false }),
    ],
  }),
);

function svc(key: string) {
  const found = s.services.find((x) => x.key === key);
  if (!found) throw new Error(key);
  return found;
}

function pods(arch: Architecture, key: string): string[] {
  const modes = resolveModes(s, arch);
  const v = svc(key);
  return Array.from({ length: v.replicas }, (_, i) => {
    const dp = serviceDataplane(v, i, arch, modes);
    return `${dp.mode}${dp.hasSidecar ? '+sidecar' : ''}${dp.captured ? '+captured' : ''}`;
  });
}

describe('resolveModes', () => {
  it.each([
    ['none', ['none', 'none', 'none']],
    ['sidecar', ['none', 'sidecar', 'sidecar']],
    ['ambient', ['none', 'ambient', 'ambient']],
    ['as-labelled', ['none', 'sidecar', 'ambient']],
  ] as const)('%s', (arch, expected) => {
    expect([...resolveModes(s, arch).entries()]).toEqual([
      ['legacy', expected[0]],
      ['shop', expected[1]],
      ['billing', expected[2]],
    ]);
  });
});

describe('serviceDataplane', () => {
  it('none: nothing is meshed', () => {
    for (const v of s.services) expect(pods('none', v.key).every((p) => p === 'none')).toBe(true);
  });

  it('sidecar: every injected pod of a meshed namespace carries a sidecar, sidecarPods is ignored', () => {
    expect(pods('sidecar', 'legacy/db')).toEqual(['none']);
    expect(pods('sidecar', 'shop/web')).toEqual(['sidecar+sidecar', 'sidecar+sidecar', 'sidecar+sidecar']);
    expect(pods('sidecar', 'shop/batch')).toEqual(['none']);
    expect(pods('sidecar', 'billing/pay')).toEqual(Array(4).fill('sidecar+sidecar'));
    expect(pods('sidecar', 'billing/ledger')).toEqual(['none', 'none']);
  });

  it('ambient: every pod of a meshed namespace is captured, with or without inject', () => {
    expect(pods('ambient', 'legacy/db')).toEqual(['none']);
    expect(pods('ambient', 'shop/web')).toEqual(Array(3).fill('ambient+captured'));
    expect(pods('ambient', 'shop/batch')).toEqual(['ambient+captured']);
    expect(pods('ambient', 'billing/pay')).toEqual(Array(4).fill('ambient+captured'));
  });

  it('as-labelled: the first sidecarPods pods of an ambient namespace keep their sidecar, uncaptured', () => {
    expect(pods('as-labelled', 'shop/web')).toEqual(Array(3).fill('sidecar+sidecar'));
    expect(pods('as-labelled', 'shop/batch')).toEqual(['none']);
    expect(pods('as-labelled', 'billing/pay')).toEqual([
      'sidecar+sidecar',
      'sidecar+sidecar',
      'ambient+captured',
      'ambient+captured',
    ]);
    // inject: false never gets a sidecar, so ztunnel captures it even among the first sidecarPods.
    expect(pods('as-labelled', 'billing/ledger')).toEqual(['ambient+captured', 'ambient+captured']);
  });
});

describe('clientDataplane', () => {
  const c = frozen(
    scenario({
      namespaces: [ns('legacy', 'none'), ns('shop', 'sidecar'), ns('billing', 'ambient')],
      services: [service('legacy/db'), service('shop/web'), service('billing/pay')],
      traffic: [
        entry('outside', 'shop/web', { clientMode: 'none' }),
        entry('same-shop', 'shop/web', { clientMode: 'same-as-target' }),
        entry('same-billing', 'billing/pay', { clientMode: 'same-as-target' }),
        entry('same-legacy', 'legacy/db', { clientMode: 'same-as-target' }),
        entry('side', 'billing/pay', { clientMode: 'sidecar' }),
        entry('amb', 'shop/web', { clientMode: 'ambient' }),
      ],
    }),
  );
  function modes(arch: Architecture): string[] {
    const m = resolveModes(c, arch);
    return c.traffic.map((ep) => {
      const dp = clientDataplane(c, ep, arch, m);
      expect(dp.hasSidecar).toBe(dp.mode === 'sidecar');
      expect(dp.captured).toBe(dp.mode === 'ambient');
      return dp.mode;
    });
  }

  it.each([
    ['none', ['none', 'none', 'none', 'none', 'none', 'none']],
    ['sidecar', ['none', 'sidecar', 'sidecar', 'none', 'sidecar', 'sidecar']],
    ['ambient', ['none', 'ambient', 'ambient', 'none', 'ambient', 'ambient']],
    ['as-labelled', ['none', 'sidecar', 'ambient', 'none', 'sidecar', 'ambient']],
  ] as const)('%s', (arch, expected) => {
    expect(modes(arch)).toEqual(expected);
  });
});
