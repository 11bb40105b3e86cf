import { getTool, input, objectOutput } from "./define.ts";

export const whoami = getTool({
  name: "whoami",
  title: "Who am I",
  description:
    "The identity behind the configured token (name, roles, workspace). Use it to check the connection; it does not report the token's scope.",
  path: "auth/me/",
  input: input({}),
  output: objectOutput,
});
