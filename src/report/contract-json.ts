/**
 * `test --json` (schemaVersion 1, schemas/contract-report.schema.json): the run's cases per endpoint, or
 * the contract's problems when it is invalid. One document, newline-terminated.
 */
import type { ContractResult } from '../contract/evaluate.ts';
import type { ContractProblem } from '../contract/types.ts';

export interface ContractJsonMeta {
  contract: string;
  ms: number;
  requests: number;
  timedOut: boolean;
}

export function contractReport(result: ContractResult, meta: ContractJsonMeta): object {
  return {
    schemaVersion: 1,
    contract: meta.contract,
    valid: true,
    summary: {
      passed: result.passed,
      failed: result.failed,
      endpoints: result.endpoints.length,
      ms: Math.round(meta.ms),
      requests: meta.requests,
      timedOut: meta.timedOut,
    },
    endpoints: result.endpoints,
    ignored: result.ignored,
  };
}

export function renderContractJson(result: ContractResult, meta: ContractJsonMeta): string {
  return `${JSON.stringify(contractReport(result, meta), null, 2)}\n`;
}

export function renderContractProblemsJson(file: string, problems: readonly ContractProblem[]): string {
  return `${JSON.stringify({ schemaVersion: 1, contract: file, valid: false, problems }, null, 2)}\n`;
}
