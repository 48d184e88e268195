/** Fraction saved against a base cost: 0.25 = 25 % cheaper; negative when dearer; null with no base. */
export function savings(base: number | undefined, value: number): number | null {
  if (base === undefined || base <= 0) return null;
  return (base - value) / base;
}
