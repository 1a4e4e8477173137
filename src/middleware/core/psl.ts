/**
 * "Is there any public-suffix entry below this domain?" (issue 19, defect 6). `tldts` only answers
 * "what is this host's suffix", which for `amazonaws.com` is `com`, although the PSL's private section
 * lists `s3.amazonaws.com`, `*.compute.amazonaws.com`, … below it: `https://*.amazonaws.com` then
 * admits buckets anyone can create. So walk tldts's own rule trie (the data it ships) down to the
 * domain and see whether the node has children. Compile-time only: a linear scan of edges is fine.
 * The CommonJS build is imported: tldts has no "type": "module", so its ES build only loads where
 * Node detects module syntax (20.19+), and engines allows 20.12.
 */
import {
  edgeChild,
  edgeLength,
  edgeStart,
  labelText,
  nodeFlags,
  rulesRoot,
} from 'tldts/dist/cjs/src/data/trie.js';

let edgeOffset: Uint32Array | null = null;

function offsets(): Uint32Array {
  if (edgeOffset !== null) return edgeOffset;
  const out = new Uint32Array(edgeLength.length);
  let offset = 0;
  for (let e = 0; e < edgeLength.length; e++) {
    out[e] = offset;
    offset += edgeLength[e]!;
  }
  edgeOffset = out;
  return out;
}

function child(node: number, label: string): number {
  const off = offsets();
  for (let e = edgeStart[node]!; e < edgeStart[node + 1]!; e++) {
    const len = edgeLength[e]!;
    if (len === label.length && labelText.startsWith(label, off[e]!)) return edgeChild[e]!;
  }
  // A `*` rule covers every label at this level.
  for (let e = edgeStart[node]!; e < edgeStart[node + 1]!; e++)
    if (edgeLength[e] === 1 && labelText.charCodeAt(off[e]!) === 0x2a) return edgeChild[e]!;
  return -1;
}

/**
 * The public-suffix rule at or below `domain` (lower case, no trailing dot): 'self' when the domain is
 * itself a public suffix, 'below' when some suffix lies under it, null when neither.
 */
export function publicSuffixAt(domain: string): 'self' | 'below' | null {
  const labels = domain.split('.');
  let node = rulesRoot;
  for (let i = labels.length - 1; i >= 0; i--) {
    node = child(node, labels[i]!);
    if (node < 0) return null;
  }
  if (nodeFlags[node] !== 0) return 'self';
  return edgeStart[node + 1]! > edgeStart[node]! ? 'below' : null;
}
