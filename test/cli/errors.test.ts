// reportError: what each kind of failure tells the user, and its exit code.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CalendarCapacityError } from '../../sim/index.ts';
import { reportError, UsageError } from '../../src/cli/errors.ts';
import { EnvironmentError } from '../../src/io/index.ts';

function told(e: unknown): { code: number; text: string } {
  let text = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    text += String(s);
    return true;
  });
  try {
    return { code: reportError(e), text };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('reportError', () => {
  it("the kernel's pending-event cap is the scenario's size, not a bug: one line, exit 2", () => {
    const o = told(new CalendarCapacityError('pending events'));
    expect(o.code).toBe(2);
    expect(o.text).toBe(
      'meshsim: the scenario needs more events at once than the simulator holds ' +
        '(Calendar: more than 16777216 pending events); lower the traffic rate, the timeouts or ' +
        'simulation.duration\n',
    );
  });

  it('the same cap arriving from a worker thread as a plain RangeError is recognised by its text', () => {
    const o = told(new RangeError(new CalendarCapacityError('event slots').message));
    expect(o.code).toBe(2);
    expect(o.text).toMatch(/^meshsim: the scenario needs more events at once than the simulator holds/);
  });

  it('an errno error that escaped without context still names its path, exit 2', () => {
    const e = Object.assign(new Error("ENOSPC: no space left on device, write '/x/y'"), {
      code: 'ENOSPC',
      path: '/x/y',
    });
    expect(told(e)).toEqual({ code: 2, text: 'meshsim: /x/y: no space left on device (ENOSPC)\n' });
  });

  it('environment and usage errors print their message as it is, exit 2', () => {
    expect(told(new EnvironmentError('--out x: cannot write y: read-only file system (EROFS)'))).toEqual({
      code: 2,
      text: 'meshsim: --out x: cannot write y: read-only file system (EROFS)\n',
    });
    expect(told(new UsageError('--arch: found "x"'))).toEqual({
      code: 2,
      text: 'meshsim: --arch: found "x"\n',
    });
  });

  it('anything else is ours: said to be an internal error, exit 1', () => {
    const o = told(new TypeError('x is undefined'));
    expect(o.code).toBe(1);
    expect(o.text).toMatch(/^meshsim: internal error: x is undefined\nThis is a bug in meshsim/);
  });
});
