import type { Output } from "../output.ts";
import { type ImportReport, SKIPPED } from "./run-import.ts";

/** The end of an import: counts, then every item that was not created and why. */
export function printImportReport(output: Output, report: ImportReport, options: { listSkipped: boolean }): void {
  if (output.json) {
    output.jsonValue(report);
    return;
  }
  const { created, skipped, failed } = report;
  output.line(`Created ${created.length}, skipped ${skipped.length} (already imported), failed ${failed.length}.`);
  if (options.listSkipped) for (const item of skipped) output.line(`  ${item.source}: ${SKIPPED}`);
  if (failed.length > 0) {
    output.line("Failures:");
    for (const item of failed) output.line(`  ${item.source}: ${item.reason}`);
  }
}
