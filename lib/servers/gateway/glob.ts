/** fnmatch-style glob (case-sensitive): `*` any run, `?` one character, `[abc]`/`[!abc]` classes. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        let body = glob.slice(i + 1, end);
        if (body.startsWith("!")) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "s");
}

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
