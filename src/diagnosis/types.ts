/**
 * The diagnosis layer's contract. Rules are small registered modules, pure: each may ask for probes
 * (extra requests a browser never sends) and turns what came back into findings. The prober (src/probe)
 * runs every probe through the browser model, concurrently with the page's own request, and hands the
 * verdicts back here. Rendering (text, JSON) is separate: src/report.
 */
import type { AddressSpace, LnaPermission } from '../browser/local-network-access.ts';
import type { PageRequest, Verdict } from '../browser/types.ts';
import type { FindingId, MistakeNumber, Severity } from '../catalog/ids.ts';
import type { StackName } from '../fix/stacks.ts';

/** Stack names live with the fixes (src/fix/stacks.ts); re-exported for older importers. */
export type { StackName } from '../fix/stacks.ts';

export interface Finding {
  id: FindingId;
  mistake: MistakeNumber | null;
  severity: Severity;
  title: string;
  /** This case in a few sentences: what was seen, why it matters. */
  detail: string;
  /** The header lines / statuses that prove it, e.g. `OPTIONS /data → 404, no Access-Control-Allow-Origin`. */
  evidence: string[];
  fix: { summary: string; snippets: Partial<Record<StackName, string>> };
  /** The probes (by name) whose answers the finding rests on; the report shows only these probes. */
  probes?: string[];
}

/** What a rule reports; the catalog fills title, mistake and fix (see diagnose()). */
export interface RuleFinding {
  id: FindingId;
  severity: Severity;
  detail: string;
  evidence: string[];
  /** Optional override of the catalog's fix summary for this case (e.g. the exact origin to add). */
  fixSummary?: string;
  /**
   * The probes the finding rests on, when the rule knows them better than "every probe it read" (a
   * rule that surveys many probes and quotes a few).
   */
  probes?: string[];
}

/** The front-end page's Content-Security-Policy, when `check --page <url>` fetched it. */
export interface PagePolicy {
  url: string;
  /** Content-Security-Policy header values (each line), in order. */
  headerPolicies: string[];
  /** `<meta http-equiv="Content-Security-Policy" content="…">` values, in order. */
  metaPolicies: string[];
}

export interface CheckInput {
  request: PageRequest;
  /** Response header names the page's script needs to read (`--expose`). */
  expose: string[];
  page?: PagePolicy;
  /** Local Network Access as `check` inferred it (src/probe/check.ts); absent: not considered. */
  localNetwork?: CheckLocalNetwork;
}

/** The LNA state of a check: spaces, permission, and whether Chrome refuses before sending. */
export interface CheckLocalNetwork {
  page: AddressSpace;
  target: AddressSpace;
  permission: LnaPermission;
  /** The permission is needed (a public page, a more private target). */
  gated: boolean;
  /** Chrome refuses the request before sending it (gated and not granted, or a targetAddressSpace mismatch). */
  blocked: boolean;
  /** The verdict reported includes the gate (a flag asked for it, or the target is a private address). */
  applied: boolean;
}

export interface ProbeSpec {
  /** Unique across rules, kebab-case: shows up as `probe:<name>` in the JSON exchanges. */
  name: string;
  /** One sentence: what the probe tries to find out. */
  purpose: string;
  request: PageRequest;
}

export interface DiagnosisContext {
  input: CheckInput;
  /** The page's own request, as the browser would run it. */
  main: Verdict;
  /** Each probe's verdict by probe name; a probe that could not run is absent. */
  probes: ReadonlyMap<string, Verdict>;
}

export interface Rule {
  /** The rule's name (usually the main finding id it reports). */
  name: string;
  probes?(input: CheckInput): ProbeSpec[];
  detect(ctx: DiagnosisContext): RuleFinding[];
}
