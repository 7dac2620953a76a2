// PackJob against a fake Rust side: the dialog, "replace it?", cancel.
import { describe, expect, it } from "vitest";

import type { PackSummary } from "../bindings/PackSummary";
import type { StageReport } from "../bindings/StageReport";
import { PackJob, type PackBackend } from "./packing.svelte";

const stage = { id: "embassy", name: { en: "Embassy", ru: "Посольство", kk: "Елшілік" } } as unknown as StageReport;
const summary = { path: "/out/pkg.zip" } as PackSummary;

function fake(answers: { save?: string | null; pack: Array<"ok" | { code: string }> }) {
  const calls: string[] = [];
  const backend: PackBackend = {
    packageName: async (dossierId, stageId) => `${dossierId}-${stageId}`,
    pickSavePath: async (options) => {
      calls.push(`save ${options.defaultName}`);
      return answers.save === undefined ? "/out/pkg.zip" : answers.save;
    },
    pickExisting: async () => "/out",
    joinPath: async (folder, name) => `${folder}/${name}`,
    cancelJob: async (jobId) => {
      calls.push(`cancel ${jobId}`);
    },
    revealInFolder: async (path) => {
      calls.push(`reveal ${path}`);
    },
    packStage: async (request) => {
      calls.push(`pack ${request.out} force=${request.force} format=${request.format}`);
      const answer = answers.pack.shift();
      if (answer === "ok" || answer === undefined) return summary;
      throw answer;
    },
  };
  return { backend, calls };
}

describe("PackJob", () => {
  it("asks where to save the ZIP under the suggested name, then packs", async () => {
    const side = fake({ pack: ["ok"] });
    const job = new PackJob({ dossierId: () => "d1", stage: () => stage, backend: side.backend });
    await job.start();
    expect(side.calls).toEqual(["save d1-embassy.zip", "pack /out/pkg.zip force=true format=zip"]);
    expect(job.step).toEqual({ name: "done", summary });
  });

  it("asks before replacing a folder, and replaces only when told", async () => {
    const side = fake({ pack: [{ code: "destination-exists" }, "ok"] });
    const job = new PackJob({ dossierId: () => "d1", stage: () => stage, backend: side.backend });
    job.format = "folder";
    await job.start();
    expect(job.step).toEqual({ name: "replace", out: "/out/d1-embassy" });
    await job.replace();
    expect(side.calls).toEqual([
      "pack /out/d1-embassy force=false format=folder",
      "pack /out/d1-embassy force=true format=folder",
    ]);
    expect(job.step.name).toBe("done");
  });

  it("stays on the form when the save dialog is closed", async () => {
    const side = fake({ save: null, pack: [] });
    const job = new PackJob({ dossierId: () => "d1", stage: () => stage, backend: side.backend });
    await job.start();
    expect(job.step.name).toBe("form");
    expect(side.calls.some((c) => c.startsWith("pack"))).toBe(false);
  });

  it("ends cancelled when the core says so", async () => {
    const side = fake({ pack: [{ code: "cancelled" }] });
    const job = new PackJob({ dossierId: () => "d1", stage: () => stage, backend: side.backend });
    await job.start();
    expect(job.step.name).toBe("cancelled");
  });
});
