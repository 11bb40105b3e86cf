import { z } from "zod";
import { serverSettings } from "../../../core/settings/server-config.ts";
import { gatewayCommand } from "../command.ts";
import { metaTool, reply, withoutArgs } from "./define.ts";

const input = z
  .object({
    title: z.string().min(8).max(160),
    description: z.string().min(1),
    issue_type: z.enum(["bug", "feature_request"]).optional(),
    subordinate_server: z.string().optional(),
    failed_tool_call: z.string().optional(),
    confirm_submission: z.boolean().optional(),
  })
  .strict();

export const submitFeedback = metaTool({
  name: "submit_feedback",
  title: "Feedback",
  description: "Draft a feedback issue.",
  input,
  listedInput: withoutArgs(input, [
    "issue_type",
    "subordinate_server",
    "failed_tool_call",
    "confirm_submission",
  ]),
  hints: "read",
  async handler(args, { core }) {
    const repo = serverSettings(core.opts.ctx, gatewayCommand).feedbackRepo;
    const body = core.redactor.redact(
      [
        args.description,
        "",
        `type: ${args.issue_type ?? "bug"}`,
        ...(args.subordinate_server ? [`server: ${args.subordinate_server}`] : []),
        ...(args.failed_tool_call ? [`call: ${args.failed_tool_call}`] : []),
        `mcpkit ${core.opts.ctx.version}`,
      ].join("\n"),
    );
    const title = core.redactor.redact(args.title);
    const url = `https://github.com/${repo}/issues/new?title=${encodeURIComponent(title)}&body=${encodeURIComponent(body)}`;
    const data = {
      ok: true,
      submitted: false,
      repository: repo,
      issue_title: title,
      issue_body: body,
      issue_url: url,
      message: "Not sent: open issue_url to file it (the gateway does not post issues itself).",
    };
    return reply({ data, text: `${data.message}\n${url}` });
  },
});
