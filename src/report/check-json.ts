/**
 * `check --json`: the report object exactly as DESIGN.md's check contract describes it (schemaVersion 1),
 * one document, newline-terminated. Fields beyond the contract (failedParameter, netError, probes, stats)
 * are additions; nothing in the contract is renamed.
 */
import type { CheckReport } from '../probe/check.ts';

export function renderCheckJson(report: CheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
