/**
 * The Public Suffix List algorithm (https://github.com/publicsuffix/list/wiki/Format#algorithm) over the
 * generated rules in public-suffix-data.ts: a host's registrable domain (its "site", URL Standard §3.2)
 * and the wildcard-origin guard's "is there a suffix at or below this domain". Hosts are WHATWG URL
 * hostnames: lower case, punycode, IPv6 in brackets, possibly one trailing dot. As in Chromium and
 * tldts, a wildcard's parent is a suffix too (`kawasaki.jp` for `*.kawasaki.jp`): the data lists it.
 *
 * The data stays two string literals until the first lookup splits them into sorted lines (and a line
 * into its sorted labels when first read), searched by bisection: a table of the ~10,800 rules took 6 ms
 * to build in a cold process, a table of the ~1,400 lines 2 ms.
 */
import { ICANN_RULES, PRIVATE_RULES } from './public-suffix-data.ts';

const RULE = 1;
const WILDCARD = 2;
const EXCEPTION = 4;

interface Section {
  lines: string[];
  /** Per line, its labels once split. */
  labels: (string[] | undefined)[];
}

let sections: Section[] | null = null;

const data = (): Section[] =>
  (sections ??= [ICANN_RULES, PRIVATE_RULES].map((text) => ({ lines: text.split('\n'), labels: [] })));

/** Index of the first of the sorted `items` that is ≥ `target`, items.length when none. */
function lowerBound(items: readonly string[], target: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const has = (items: readonly string[], item: string): boolean => items[lowerBound(items, item)] === item;

/**
 * The rules for `label.parent`, as RULE | WILDCARD (`*.parent`) | EXCEPTION bits, `key` being the parent
 * with its labels reversed ('' for a top-level label).
 */
function rulesFor(key: string, label: string, privateDomains: boolean): number {
  let bits = 0;
  for (const section of privateDomains ? data() : data().slice(0, 1)) {
    // A line is `key labels`: the space sorts before any key character, so lines sort as keys do.
    const at = lowerBound(section.lines, `${key} `);
    const line = section.lines[at];
    if (line === undefined || !line.startsWith(`${key} `)) continue;
    const labels = (section.labels[at] ??= line.slice(key.length + 1).split(','));
    if (has(labels, label)) bits |= RULE;
    if (has(labels, '*')) bits |= WILDCARD;
    if (has(labels, `!${label}`)) bits |= EXCEPTION;
  }
  return bits;
}

export interface RegistrableDomainOptions {
  /** Also apply the list's private section (github.io, s3.amazonaws.com, …), as browsers do. */
  privateDomains?: boolean;
}

/**
 * The host's registrable domain: its public suffix plus one label, the trailing dot kept (URL Standard
 * "registrable domain"). null for IP addresses, hosts that are a public suffix themselves (`com`,
 * `localhost`, `github.io` with the private section), and hosts with an empty label there.
 */
export function registrableDomain(host: string, options: RegistrableDomainOptions = {}): string | null {
  const trailingDot = host.endsWith('.') ? '.' : '';
  const name = trailingDot === '' ? host : host.slice(0, -1);
  if (name === '' || name.endsWith('.') || name.startsWith('[')) return null;
  const lastDot = name.lastIndexOf('.');
  // WHATWG URL parses a host whose last label is a number as IPv4.
  if (/^\d+$/.test(name.slice(lastDot + 1))) return null;
  const privateDomains = options.privateDomains === true;
  // Labels right to left; `suffix` is where the longest matching rule starts, the default rule `*` (the
  // last label) to begin with.
  let suffix = lastDot + 1;
  let key = '';
  let end = name.length;
  while (end > 0) {
    const start = name.lastIndexOf('.', end - 1) + 1;
    const label = name.slice(start, end);
    // An empty label matches no rule, not even a wildcard.
    const bits = start < end ? rulesFor(key, label, privateDomains) : 0;
    if (bits & EXCEPTION) {
      // An exception wins over every other rule; its suffix is the rule minus its left-most label.
      suffix = end + 1;
      break;
    }
    if (bits & (RULE | WILDCARD)) suffix = start;
    key = key === '' ? label : `${key}.${label}`;
    end = start - 1;
  }
  // The host is its own suffix, or only an empty label precedes it.
  if (suffix <= 1) return null;
  const label = name.lastIndexOf('.', suffix - 2) + 1;
  return label === suffix - 1 ? null : name.slice(label) + trailingDot;
}

/**
 * The public-suffix rule at or below `domain` (lower case, no trailing dot), both sections: 'self' when
 * the domain is itself a public suffix, 'below' when some suffix lies under it, null when neither. The
 * wildcard-origin guard needs 'below' (issue 19, defect 6): the suffix of `amazonaws.com` is `com`, yet
 * the private section lists `s3.amazonaws.com`, `*.compute.amazonaws.com`, … under it, so
 * `https://*.amazonaws.com` admits buckets anyone can create.
 */
export function publicSuffixAt(domain: string): 'self' | 'below' | null {
  const labels = domain.split('.').reverse();
  const key = labels.join('.');
  const bits = rulesFor(labels.slice(0, -1).join('.'), labels.at(-1)!, true);
  if ((bits & EXCEPTION) === 0 && bits & (RULE | WILDCARD)) return 'self';
  // Rules under the domain: a line keyed by it, or by a descendant (adjacent, right after it).
  for (const { lines } of data()) {
    if (lines[lowerBound(lines, `${key} `)]?.startsWith(`${key} `)) return 'below';
    if (lines[lowerBound(lines, `${key}.`)]?.startsWith(`${key}.`)) return 'below';
  }
  return null;
}
