/**
 * A CORS contract (issue 16, format fixed): endpoints × origins that must be allowed or refused × response
 * headers the page must read, plus findings accepted on purpose. Parsed with positions so every problem,
 * result and SARIF location points at the contract file's line.
 */
import type { CredentialsMode } from '../browser/types.ts';
import type { FindingId } from '../catalog/ids.ts';

/** 1-based line and column in the contract file. */
export interface Position {
  line: number;
  column: number;
}

export interface ContractEndpoint extends Position {
  /** `name`, or `METHOD url` as written when the contract names none. */
  name: string;
  /** Absolute http(s) URL (relative ones resolved against `base`). */
  url: string;
  method: string;
  /** Headers the page's script sets, in the order written (defaults first, endpoint's own win by name). */
  headers: [string, string][];
  credentials: CredentialsMode;
  /** Body of the actual request. */
  data?: string;
  /** Extension: the Cookie the browser holds for the API (sent only with credentials: include). */
  cookie?: string;
  allow: string[];
  deny: string[];
  expose: string[];
  /** The 0-based position in `endpoints`. */
  index: number;
}

export interface ContractIgnore extends Position {
  finding: FindingId;
  /** An endpoint's name; absent: every endpoint. */
  endpoint?: string;
  reason: string;
}

export interface Contract {
  version: 1;
  base?: string;
  endpoints: ContractEndpoint[];
  ignore: ContractIgnore[];
}

/** Something wrong in the contract file: where, what, and what to write instead. */
export interface ContractProblem extends Position {
  /** Where in the document, e.g. `endpoints[0].allow[1]`. */
  path: string;
  message: string;
  fix: string;
}

export type ParseResult = { ok: true; contract: Contract } | { ok: false; problems: ContractProblem[] };
