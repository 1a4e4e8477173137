// tldts ships its rule trie without types next to it (they live under dist/types); declare what psl.ts reads.
declare module 'tldts/dist/cjs/src/data/trie.js' {
  export const nodeFlags: Uint8Array;
  export const edgeStart: Uint16Array;
  export const edgeLength: Uint8Array;
  export const edgeChild: Uint16Array;
  export const labelText: string;
  export const rulesRoot: number;
  export const exceptionsRoot: number;
}
