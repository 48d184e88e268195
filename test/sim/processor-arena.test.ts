// Processors as a cluster's nodes use them (node-cpu.ts): a demand shared in an array, one calendar
// handler for all, and their arrays as blocks of one arena, moved when a processor outgrows its block.
import { describe, expect, it } from 'vitest';
import { arenaNumbers, Calendar, Processor, ProcessorArena } from '../../sim/index.ts';
import { setup } from './helpers/processor-setup.ts';

describe('Processors of a cluster', () => {
  it('shareDemand keeps a shared array equal to demand through starts, limits, completions and aborts', () => {
    const { cal, cpu } = setup(2);
    const shared = new Float64Array(3).fill(-1);
    cpu.shareDemand(shared, 1);
    expect(shared[1]).toBe(0);
    const a = cpu.addGroup(1, 0.5);
    const b = cpu.addGroup(1);
    cpu.start(a, 1, 1);
    cpu.start(a, 1, 2);
    expect(shared[1]).toBe(0.5); // two jobs, capped at half a core
    const j = cpu.start(b, 3, 3);
    expect(shared[1]).toBe(1.5);
    cpu.setGroup(a, 1, 2);
    expect(shared[1]).toBe(3);
    expect(shared[1]).toBe(cpu.demand);
    cpu.abort(j);
    expect(shared[1]).toBe(2);
    cal.run();
    expect(shared[1]).toBe(0);
    expect([shared[0], shared[2]]).toEqual([-1, -1]);
  });

  it('processors sharing one calendar handler and one sized arena complete the same jobs at the same times as with their own', () => {
    const run = (shared: boolean) => {
      const cal = new Calendar();
      const done: Array<[number, number, number]> = [];
      const cpus: Processor[] = [];
      const handler = cal.on((p) => cpus[Math.floor(p / 100)]!.complete(p % 100));
      const arena = new ProcessorArena(arenaNumbers([2, 3, 4]));
      for (let i = 0; i < 3; i++) {
        const onDone = (token: number) => done.push([i, token, cal.now]);
        cpus.push(
          new Processor(
            cal,
            1 + i,
            onDone,
            shared ? { timer: { handler, base: i * 100 }, arena, groups: 2 + i } : {},
          ),
        );
      }
      cpus.forEach((cpu, i) => {
        const a = cpu.addGroup(1);
        const b = cpu.addGroup(3, 0.5);
        for (let j = 0; j < 4; j++) cpu.start(j % 2 ? a : b, 0.5 + 0.25 * j + 0.1 * i, 10 * i + j);
      });
      // Groups added while jobs run, the processors taking turns: each outgrows its first block (8
      // groups) and moves, one processor's block behind another's, with jobs in its busy list and rows.
      cal.run(0.3);
      for (let g = 0; g < 14; g++)
        cpus.forEach((cpu, i) => {
          const x = cpu.addGroup(1 + g, g % 3 === 0 ? 0.25 : Number.POSITIVE_INFINITY);
          cpu.start(x, 0.05 * (g + 1), 1000 + 100 * i + g);
        });
      cal.run();
      return done;
    };
    const own = run(false);
    expect(own).toHaveLength(54);
    expect(run(true)).toEqual(own);
  });

  it('a processor that outgrows its block mid-run keeps its busy groups and their jobs', () => {
    const { cal, cpu, done } = setup(1);
    const a = cpu.addGroup(1);
    cpu.start(a, 1, 1);
    cal.run(0.5);
    let last = a;
    for (let i = 0; i < 10; i++) last = cpu.addGroup(1); // from 8 groups on, a block twice the size
    cpu.start(last, 0.25, 2);
    cal.run();
    // Half a core each from 0.5 s: the new job's 0.25 by 1.0 s, the first's last 0.25 alone by 1.25 s.
    expect(done).toEqual([
      [2, 1],
      [1, 1.25],
    ]);
    expect(cpu.usage(a, cal.now).served).toBeCloseTo(1, 12);
  });
});
