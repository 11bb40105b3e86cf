import { z } from "zod";
import { metaTool, reply } from "./define.ts";

const input = z.object({ job_id: z.string() }).strict();

export const provisionStatus = metaTool({
  name: "provision_status",
  title: "Job status",
  description: "Provision job progress.",
  input,
  hints: "read",
  async handler(args, { core }) {
    const job = core.jobs.get(args.job_id);
    if (!job) {
      const data = {
        job_id: args.job_id,
        status: "not_found",
        message: "unknown job id (jobs live in memory only)",
      };
      return reply({ data, text: data.message });
    }
    const data = core.jobs.view(job);
    return reply({
      data,
      text: `${job.server}: ${job.status} - ${job.message}${job.error ? `: ${job.error}` : ""}`,
      isError: job.status === "failed",
    });
  },
});
