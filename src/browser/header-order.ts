/**
 * The order in which Chromium walks a request's headers, which decides WHICH header it names when the
 * preflight refuses several (`Request header field X is not allowed…`): the network service walks
 * net::HttpRequestHeaders in the order Blink filled it, i.e. the iteration order of Blink's
 * HTTPHeaderMap — a WTF::HashMap keyed with CaseFoldingHash (rapidhash over case-folded UTF-16, top 8
 * bits masked; third_party/blink/renderer/platform/wtf/text/case_folding_hash.h, third_party/rapidhash).
 *
 * Reconstructed and fitted against the running Chromium 156, not read line by line from its hash table:
 * the map holds the page's headers (inserted in case-insensitive sorted order, as Blink's FetchHeaderList
 * keeps them) and then `sec-ch-ua`, `sec-ch-ua-mobile`, `sec-ch-ua-platform`, `user-agent` (the default
 * client hints are sent to potentially trustworthy origins only, so they are left out for other pages:
 * inferred); buckets start at 8, double when half full, collisions probe quadratically. This reproduces
 * 76 of 80 recorded full header orders and names the same header as Chromium in 137 of 140 recorded
 * refusals (test/scenarios/header-order-observations.json); the remaining misses are collision order.
 * It is therefore a prediction: verdicts keep every candidate in `failedParameterCandidates`.
 */

const MASK64 = (1n << 64n) - 1n;
const SECRET = [0x2d358dccaa6c78a5n, 0x8bb84b93962eacc9n, 0x4b33a62ed433d4a3n] as const;
const RAPID_SEED = 0xbdd89aa982704029n;

function mul128(a: bigint, b: bigint): [bigint, bigint] {
  const r = (a & MASK64) * (b & MASK64);
  return [r & MASK64, (r >> 64n) & MASK64];
}
const mix = (a: bigint, b: bigint): bigint => {
  const [lo, hi] = mul128(a, b);
  return lo ^ hi;
};

/**
 * rapidhash with Chromium's CaseFoldingHashReader (Latin-1 expanded to UTF-16, ASCII case-folded):
 * `units` are the folded UTF-16 code units, the hashed length is 2 bytes per unit.
 */
function rapidhashUtf16(units: readonly number[]): bigint {
  const u = (i: number): bigint => BigInt(units[i] ?? 0);
  const r32 = (i: number): bigint => u(i) | (u(i + 1) << 16n);
  const r64 = (i: number): bigint => u(i) | (u(i + 1) << 16n) | (u(i + 2) << 32n) | (u(i + 3) << 48n);
  const len = units.length * 2;
  const at = (bytes: number): number => bytes / 2; // output bytes → input units (expansion factor 2)
  let seed = RAPID_SEED;
  seed ^= mix(seed ^ SECRET[0], SECRET[1]) ^ BigInt(len);
  let a: bigint;
  let b: bigint;
  if (len <= 16) {
    if (len >= 4) {
      const last = at(len - 4);
      a = (r32(0) << 32n) | r32(last);
      const delta = at((len & 24) >> (len >> 3));
      b = (r32(delta) << 32n) | r32(last - delta);
    } else if (len > 0) {
      a = u(0);
      b = 0n;
    } else {
      a = 0n;
      b = 0n;
    }
  } else {
    let i = len;
    let p = 0;
    if (i > 48) {
      let see1 = seed;
      let see2 = seed;
      do {
        seed = mix(r64(p) ^ SECRET[0], r64(p + at(8)) ^ seed);
        see1 = mix(r64(p + at(16)) ^ SECRET[1], r64(p + at(24)) ^ see1);
        see2 = mix(r64(p + at(32)) ^ SECRET[2], r64(p + at(40)) ^ see2);
        p += at(48);
        i -= 48;
      } while (i >= 48);
      seed ^= see1 ^ see2;
    }
    if (i > 16) {
      seed = mix(r64(p) ^ SECRET[2], r64(p + at(8)) ^ seed ^ SECRET[1]);
      if (i > 32) seed = mix(r64(p + at(16)) ^ SECRET[2], r64(p + at(24)) ^ seed);
    }
    a = r64(p + at(i - 16));
    b = r64(p + at(i - 8));
  }
  a ^= SECRET[1];
  b ^= seed;
  [a, b] = mul128(a, b);
  return mix(a ^ SECRET[0] ^ BigInt(len), b ^ SECRET[1]);
}

/** CaseFoldingHash of a header name (ASCII token), masked to 24 bits as StringHasher stores it. */
export function caseFoldingHash(name: string): number {
  const units = [...name].map((c) => c.toLowerCase().charCodeAt(0));
  const h = Number(rapidhashUtf16(units) & 0xffffffn);
  return h === 0 ? 0x800000 : h;
}

const DEFAULT_CLIENT_HINTS = ['sec-ch-ua', 'sec-ch-ua-mobile', 'sec-ch-ua-platform'];

/** Potentially trustworthy page origin (https, or http on a loopback host): default client hints are sent. */
function sendsClientHints(pageOrigin: string): boolean {
  if (pageOrigin.startsWith('https://')) return true;
  return /^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(pageOrigin);
}

/**
 * Predicted iteration order (lower-cased names) of Blink's HTTPHeaderMap for a request carrying the
 * page's `headerNames`: the order Chromium checks them in against Access-Control-Allow-Headers.
 */
export function predictHeaderOrder(headerNames: readonly string[], pageOrigin: string): string[] {
  const page = [...new Set(headerNames.map((n) => n.toLowerCase()))].sort();
  const keys = [...page, ...(sendsClientHints(pageOrigin) ? DEFAULT_CLIENT_HINTS : []), 'user-agent'].filter(
    (k, i, all) => all.indexOf(k) === i,
  );
  let table: (string | null)[] = new Array(8).fill(null);
  const place = (t: (string | null)[], key: string): void => {
    const mask = t.length - 1;
    let i = caseFoldingHash(key) & mask;
    for (let probe = 1; t[i] !== null; probe++) i = (i + probe) & mask;
    t[i] = key;
  };
  let count = 0;
  for (const key of keys) {
    place(table, key);
    count++;
    if (count * 2 >= table.length) {
      const old = table;
      table = new Array(old.length * 2).fill(null);
      for (const k of old) if (k !== null) place(table, k);
    }
  }
  return table.filter((k): k is string => k !== null && page.includes(k));
}
