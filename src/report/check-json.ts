/**
 * `check --json`: the report object exactly as DESIGN.md's check contract describes it (schemaVersion 1),
 * one document, newline-terminated. Fields beyond the contract (failedParameter, netError, probes, stats)
 * are additions; nothing in the contract is renamed.
 */
import type { StackFix } from '../fix/index.ts';
import type { CheckReport } from '../probe/check.ts';

/** `fix`: the one generated fix for the whole diagnosis (README, check), null when none applies. */
export function renderCheckJson(report: CheckReport, fix: StackFix | null = null): string {
  return `${JSON.stringify({ ...report, fix }, null, 2)}\n`;
}
