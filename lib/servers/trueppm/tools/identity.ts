import { compactObject } from "../shaping.ts";
import { defineTool, objectOutput } from "./define.ts";

export const whoami = defineTool({
  name: "whoami",
  title: "Who am I",
  description:
    "The identity behind the configured token (name, roles, workspace). Use it to check the connection; it does not report the token's scope.",
  input: {},
  output: objectOutput,
  async handler(_args, { api }) {
    return compactObject(await api.get("auth/me/"));
  },
});
