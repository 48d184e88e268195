// The subtitle of a chart drawn from a plan, cost or calibration file: those have no Results type yet,
// so their subtitle is read structurally from whatever scenario/seed fields the file carries.

export function aboutInput(input: unknown, what: string): string {
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const s = (typeof o.scenario === 'object' && o.scenario !== null ? o.scenario : {}) as Record<
    string,
    unknown
  >;
  const parts = [what];
  if (typeof s.name === 'string') parts.push(`scenario ${s.name}`);
  const seed = s.seed ?? o.seed;
  if (typeof seed === 'number') parts.push(`seed ${seed}`);
  if (typeof o.meshsimVersion === 'string') parts.push(`meshsim ${o.meshsimVersion}`);
  return parts.join(', ');
}
