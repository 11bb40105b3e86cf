import { z } from "zod";
import { defineTool, READ_ONLY } from "./define.ts";

export const provisionStatus = defineTool({
  verb: "provision_status",
  title: "Job status",
  description: "Provision job progress.",
  input: z.object({ job_id: z.string() }).strict(),
  annotations: READ_ONLY,
  async run(args, core) {
    const job = core.jobs.get(args.job_id);
    if (!job) {
      const data = {
        job_id: args.job_id,
        status: "not_found",
        message: "unknown job id (jobs live in memory only)",
      };
      return { data, text: data.message };
    }
    const data = core.jobs.view(job);
    return {
      data,
      text: `${job.server}: ${job.status} - ${job.message}${job.error ? `: ${job.error}` : ""}`,
      isError: job.status === "failed",
    };
  },
});
