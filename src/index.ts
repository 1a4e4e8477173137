/** cors-doctor's library API. The pure layers run unchanged in a web page. */
export type * from './browser/types.ts';
export {
  FINDING_IDS,
  type FindingId,
  isFindingId,
  type MistakeNumber,
  type Severity,
} from './catalog/ids.ts';
