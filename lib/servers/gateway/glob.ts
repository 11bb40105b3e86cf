import { globToRegExp } from "../../core/glob.ts";

/** Matches a name against a list of globs compiled once. */
export class GlobList {
  private readonly res: RegExp[];
  constructor(readonly globs: readonly string[]) {
    this.res = globs.map(globToRegExp);
  }
  get empty(): boolean {
    return this.res.length === 0;
  }
  matches(name: string): boolean {
    return this.res.some((r) => r.test(name));
  }
}
