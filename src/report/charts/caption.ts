import type { Results } from '../../simulate/index.ts';
import { fmt } from '../format.ts';

/** The subtitle of a results chart: which scenario, which seed, how much was measured. */
export function caption(r: Results): string {
  const s = r.scenario;
  const reps = `${s.replications} replication${s.replications === 1 ? '' : 's'}`;
  return `scenario ${s.name}, seed ${s.seed}, ${reps}, ${fmt(s.duration - s.warmup)} s measured after ${fmt(s.warmup)} s warm-up (meshsim ${r.meshsimVersion})`;
}
