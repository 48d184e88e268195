// What the command line promises beyond the simulation: its version, help with examples and a
// description for every option, --warmup, where outputs went, the report's results.json, the worker cap.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENTRY, meshsim, QUICKSTART, ROOT } from './helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'meshsim-cmd-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const SHORT = ['--duration', '3s', '--replications', '1'];
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

describe('help and version', () => {
  it('--version and -V print the package version', () => {
    for (const flag of ['--version', '-V']) {
      const o = meshsim([flag]);
      expect(o.code, o.stderr).toBe(0);
      expect(o.stdout.trim()).toBe(VERSION);
    }
  });

  for (const command of ['run', 'validate', 'calibrate', 'report', 'plan']) {
    it(`${command} --help has examples and a description for every option`, () => {
      const o = meshsim([command, '--help']);
      expect(o.code, o.stderr).toBe(0);
      expect(o.stdout).toMatch(/\nExamples:\n {2}meshsim /);
      const options = o.stdout
        .split('\nExamples:')[0]!
        .split('\n')
        .filter((l) => /^\s+(-\w, )?--[a-z-]+/.test(l));
      expect(options.length).toBeGreaterThan(1);
      // A line of an option is its flag, then words, then its type: never the type alone.
      for (const line of options) expect(line, line).toMatch(/--[a-z-]+\s+[a-z]/);
    });
  }
});

describe('validate', () => {
  it('counts agree with their nouns', () => {
    const text = readFileSync(join(ROOT, QUICKSTART), 'utf8').replace('count: 3', 'count: 1');
    const file = join(tmp, 'one-node.yaml');
    writeFileSync(file, text);
    const o = meshsim(['validate', file]);
    expect(o.code, o.stderr).toBe(0);
    expect(o.stdout).toMatch(
      /: valid \(quickstart: 1 node, \d+ services, \d+ pods, 1 entry point, 0 events\)$/m,
    );
  });
});

describe('run', () => {
  it('--warmup overrides simulation.warmup', () => {
    const o = meshsim(['run', QUICKSTART, ...SHORT, '--warmup', '500ms', '--json']);
    expect(o.code, o.stderr).toBe(0);
    expect(JSON.parse(o.stdout).scenario).toMatchObject({ warmup: 0.5, duration: 3 });
  });

  it('a --warmup not shorter than the duration is an input error naming simulation.warmup', () => {
    const o = meshsim(['run', QUICKSTART, ...SHORT, '--warmup', '3s']);
    expect(o.code).toBe(2);
    expect(o.stderr).toContain('simulation.warmup');
  });

  it('--report DIR also writes DIR/results.json; stderr says where everything went; --json stays pure', () => {
    const report = join(tmp, 'report');
    const out = join(tmp, 'out');
    const o = meshsim(['run', QUICKSTART, ...SHORT, '--json', '--report', report, '--out', out]);
    expect(o.code, o.stderr).toBe(0);
    expect(readFileSync(join(report, 'results.json'), 'utf8')).toBe(o.stdout);
    expect(readFileSync(join(out, 'results.json'), 'utf8')).toBe(o.stdout);
    expect(readFileSync(join(report, 'index.html'), 'utf8')).toContain('meshsim report');
    // Check findings (info and warnings about the scenario) may come first; the outputs are named last.
    expect(o.stderr.split('\n').filter((l) => l.startsWith('meshsim: wrote'))).toEqual([
      `meshsim: wrote ${join(report, 'index.html')}`,
      `meshsim: wrote ${join(report, 'results.json')}`,
      `meshsim: wrote ${join(out, 'results.json')}`,
    ]);
  });

  it('--out and --report naming one directory write one results.json, equal to --json', () => {
    const dir = join(tmp, 'both');
    const o = meshsim(['run', QUICKSTART, ...SHORT, '--json', '--report', dir, '--out', dir]);
    expect(o.code, o.stderr).toBe(0);
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe(o.stdout);
    expect(readdirSync(dir).filter((f) => /\.meshsim-\d+-/.test(f))).toEqual([]);
  });

  it('two runs writing the same --report at once leave one run whole: its results.json and its page', async () => {
    const report = join(tmp, 'shared');
    const runOnce = (seed: string) =>
      new Promise<number | null>((resolve) =>
        spawn(process.execPath, [...ENTRY, 'run', QUICKSTART, ...SHORT, '--seed', seed, '--report', report], {
          cwd: ROOT,
          stdio: 'ignore',
        }).on('close', resolve),
      );
    expect(await Promise.all([runOnce('11'), runOnce('12')])).toEqual([0, 0]);
    const seed = JSON.parse(readFileSync(join(report, 'results.json'), 'utf8')).scenario.seed as number;
    expect([11, 12]).toContain(seed);
    const page = readFileSync(join(report, 'index.html'), 'utf8');
    expect(page).toContain(`seed ${seed}`);
    expect(page).not.toContain(`seed ${seed === 11 ? 12 : 11}`);
  });
});

describe('plan', () => {
  it('--workers beyond the cores there are is capped, with a note', () => {
    const o = meshsim([
      'plan',
      QUICKSTART,
      ...SHORT,
      '--arch',
      'none',
      '--types',
      'm5.xlarge',
      '--workers',
      '4096',
    ]);
    expect(o.code, o.stderr).toBe(0);
    expect(o.stderr).toMatch(/^meshsim: --workers 4096 capped at the (1 core|\d+ cores) available$/m);
    expect(o.stderr).toMatch(
      /^meshsim: 1 simulation run, 0 reused from checkpoints, 0 shared between node types of the same shape; 0 short screening runs$/m,
    );
  });
});
