/**
 * HAR analysis (pure): `parseHar` reads the file's text, `analyzeHar` diagnoses every cross-origin
 * request of the session offline, `redactHar` makes a copy safe to attach to a bug report.
 */
export type { AnalyzeOptions, HarAnalysis, HarGroup, HarRequestReport } from './analyze.ts';
export { analyzeHar, groupRequests } from './analyze.ts';
export { checkCommandFor } from './check-command.ts';
export type { HarEntry, HarPage, ParsedHar, ParseOutcome } from './parse.ts';
export { parseHar } from './parse.ts';
