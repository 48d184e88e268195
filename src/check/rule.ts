// A check rule: a stable code and a pure function of the check context.
import type { CheckContext } from './context.ts';
import type { Finding } from './finding.ts';

export interface Rule {
  code: string;
  check(ctx: CheckContext): Finding[];
}
