/**
 * Names that are valid and unique, given out in document order, so the same document always gets
 * the same names. A wanted name has every run of characters outside `allowed` replaced by one `_`;
 * a taken name gets the first free suffix `_2`, `_3`, …; the base is cut so the suffix still fits
 * within `max`.
 */
export class NameAllocator {
  private readonly taken = new Set<string>();

  constructor(
    private readonly invalid: RegExp,
    private readonly max: number,
    private readonly fallback: string,
  ) {}

  /** A valid form of `wanted`, not checked for uniqueness. */
  sanitise(wanted: string): string {
    const clean = wanted.replace(this.invalid, '_').replace(/^_+|_+$/g, '');
    return clean === '' ? this.fallback : clean;
  }

  /** A free name close to `wanted`, now taken. */
  claim(wanted: string): string {
    const base = this.sanitise(wanted);
    for (let n = 1; ; n += 1) {
      const suffix = n === 1 ? '' : `_${String(n)}`;
      const name = base.slice(0, this.max - suffix.length) + suffix;
      if (!this.taken.has(name)) {
        this.taken.add(name);
        return name;
      }
    }
  }
}
