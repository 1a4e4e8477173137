/** The recorders, for tests that record on the fly. */

export { recordChromium, recordCorpus, recordSession, startPageServer, type Truth } from './record.ts';
export { recordFirefox } from './record-firefox.ts';
