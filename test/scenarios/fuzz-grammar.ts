/**
 * The server-answer grammar shared by the Chromium and Firefox randomized differential suites: the
 * CORS header values each case draws from ('{page}' stands for the page's origin). WebKit's suite keeps
 * its own grammar (test/browser/webkit-fuzz.test.ts) for WebKit's edges.
 */
import fc from 'fast-check';

export type H = [string, string];
export const PAGE = '{page}';
export const lines = (name: string, values: readonly string[]): H[] => values.map((v) => [name, v]);

export const acao = fc.constantFrom<string[]>(
  [PAGE],
  [PAGE],
  ['*'],
  ['*'],
  [],
  ['null'],
  [`${PAGE}/`],
  ['https://x.example'],
  [PAGE, PAGE],
  [`*, ${PAGE}`],
  [''],
  [` ${PAGE} `],
);
export const acac = fc.constantFrom<string[]>([], ['true'], ['true'], ['True'], ['false'], ['true', 'true']);
export const acam = fc.constantFrom<string[]>(
  [],
  ['*'],
  ['PUT'],
  ['put'],
  ['GET, POST'],
  ['PUT, DELETE, PATCH, Foo'],
  ['PU T'],
  ['OPTIONS, patch'],
);
export const acah = fc.constantFrom<string[]>(
  [],
  ['*'],
  ['x-a'],
  ['authorization'],
  ['content-type, x-a'],
  ['*, authorization'],
  ['x a'],
  ['X-A, X-B, Range, Accept, Content-Type, Authorization, Accept-Language'],
);
export const aceh = fc.constantFrom<string[]>([], ['*'], ['X-B'], ['x-b, x-c']);
