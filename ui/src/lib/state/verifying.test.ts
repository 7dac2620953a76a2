// VerifyJob against a fake Rust side: what the panel shows for each answer.
import { describe, expect, it } from "vitest";

import type { Progress } from "../bindings/Progress";
import type { VerifyReport } from "../bindings/VerifyReport";
import { VerifyJob, type VerifyBackend } from "./verifying.svelte";

const report = { path: "/in/pkg.zip", valid: true } as VerifyReport;

/** A fake whose verification waits until the test settles it. */
function fake(picked: string | null = "/in/pkg.zip") {
  const calls: string[] = [];
  let settle: { resolve: (r: VerifyReport) => void; reject: (e: unknown) => void } | null = null;
  let progress: ((p: Progress) => void) | null = null;
  const backend: VerifyBackend = {
    pickExisting: async () => picked,
    verifyPackage: (jobId, path, onProgress) => {
      calls.push(`verify ${jobId} ${path}`);
      progress = onProgress;
      return new Promise((resolve, reject) => (settle = { resolve, reject }));
    },
    cancelJob: async (jobId) => {
      calls.push(`cancel ${jobId}`);
    },
  };
  return {
    backend,
    calls,
    settle: () => settle!,
    progress: (p: Progress) => progress!(p),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("VerifyJob", () => {
  it("verifies the package picked, shows progress, then the report", async () => {
    const side = fake();
    const job = new VerifyJob(side.backend);
    const done = job.pick("zip");
    await tick();
    expect(job.step.name).toBe("verifying");
    expect(job.busy).toBe(true);
    side.progress({ done: 1, total: 4 } as unknown as Progress);
    expect(job.step.name === "verifying" && job.step.progress).toEqual({ done: 1, total: 4 });
    side.settle().resolve(report);
    await done;
    expect(job.step).toEqual({ name: "done", report });
    expect(job.busy).toBe(false);
  });

  it("goes back to idle when the dialog is closed", async () => {
    const side = fake(null);
    const job = new VerifyJob(side.backend);
    await job.pick("folder");
    expect(job.step.name).toBe("idle");
    expect(side.calls).toEqual([]);
  });

  it("says 'not a package' as a result, with the core's path", async () => {
    const side = fake();
    const job = new VerifyJob(side.backend);
    const done = job.verify("/in/data");
    await tick();
    side.settle().reject({ code: "package-data-folder", path: "/in/data" });
    await done;
    expect(job.step.name).toBe("not-a-package");
    expect(job.step.name === "not-a-package" && job.step.path).toBe("/in/data");
  });

  it("cancels the job it started, once, and ends cancelled", async () => {
    const side = fake();
    const job = new VerifyJob(side.backend);
    const done = job.verify("/in/pkg.zip");
    await tick();
    await job.cancel();
    await job.cancel();
    const jobId = side.calls[0]?.split(" ")[1];
    expect(jobId).toMatch(/^verify/);
    expect(side.calls.filter((c) => c.startsWith("cancel"))).toEqual([`cancel ${jobId}`]);
    side.settle().reject({ code: "cancelled" });
    await done;
    expect(job.step.name).toBe("cancelled");
  });

  it("shows any other failure as one, translatable", async () => {
    const side = fake();
    const job = new VerifyJob(side.backend);
    const done = job.verify("/in/pkg.zip");
    await tick();
    side.settle().reject({ code: "disk-full", path: "/in" });
    await done;
    expect(job.step).toEqual({
      name: "failed",
      error: { kind: "core", error: { code: "disk-full", path: "/in" } },
    });
  });
});
