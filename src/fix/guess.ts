/**
 * Likely stacks from what the server sent: `Server`, `X-Powered-By`, `Via`, framework-specific headers
 * and cookie names. The answer is a guess, so the report says it was inferred and `--stack` overrides it.
 * Frameworks are ranked before the proxies in front of them: the catalog advises fixing CORS in the app.
 */
import { STACK_INFO, type StackName } from './stacks.ts';

export interface StackGuess {
  stack: StackName;
  /** The header line that gave it away, e.g. `X-Powered-By: Express`. */
  evidence: string;
}

type Header = readonly [string, string];
interface Clue {
  header: RegExp;
  value: RegExp;
  stack: StackName;
}

const CLUES: Clue[] = [
  { header: /^x-powered-by$/i, value: /^Next\.js/i, stack: 'nextjs' },
  { header: /^x-powered-by$/i, value: /^Express/i, stack: 'express' },
  { header: /^x-powered-by$/i, value: /^PHP/i, stack: 'php' },
  { header: /^x-powered-by$/i, value: /ASP\.NET/i, stack: 'aspnet' },
  { header: /^server$/i, value: /Kestrel|Microsoft-IIS/i, stack: 'aspnet' },
  { header: /^server$/i, value: /Werkzeug/i, stack: 'flask' },
  { header: /^server$/i, value: /WSGIServer/i, stack: 'django' },
  { header: /^server$/i, value: /uvicorn|hypercorn/i, stack: 'fastapi' },
  { header: /^server$/i, value: /WEBrick|Puma|Passenger|Unicorn/i, stack: 'rails' },
  { header: /^x-runtime$/i, value: /./, stack: 'rails' },
  { header: /^set-cookie$/i, value: /^laravel_session=|^XSRF-TOKEN=/i, stack: 'laravel' },
  { header: /^set-cookie$/i, value: /^csrftoken=|^sessionid=/i, stack: 'django' },
  { header: /^set-cookie$/i, value: /^_[a-z0-9_]+_session=/i, stack: 'rails' },
  { header: /^set-cookie$/i, value: /^rack\.session=/i, stack: 'rails' },
  { header: /^set-cookie$/i, value: /^JSESSIONID=/i, stack: 'spring' },
  { header: /^set-cookie$/i, value: /^PHPSESSID=/i, stack: 'php' },
  { header: /^set-cookie$/i, value: /^connect\.sid=/i, stack: 'express' },
  { header: /^set-cookie$/i, value: /^\.AspNetCore\./i, stack: 'aspnet' },
  { header: /^x-nextjs-cache$|^x-nextjs-prerender$/i, value: /./, stack: 'nextjs' },
  { header: /^server$/i, value: /^nginx|openresty/i, stack: 'nginx' },
  { header: /^server$/i, value: /^Apache/i, stack: 'apache' },
  { header: /^server$/i, value: /^Caddy/i, stack: 'caddy' },
  { header: /^server$/i, value: /^cloudflare/i, stack: 'cloudflare' },
  { header: /^cf-ray$/i, value: /./, stack: 'cloudflare' },
  { header: /^server$/i, value: /^AmazonS3/i, stack: 's3' },
  { header: /^x-amz-cf-id$/i, value: /./, stack: 'cloudfront' },
  { header: /^via$/i, value: /CloudFront/i, stack: 'cloudfront' },
  { header: /^x-amz-request-id$/i, value: /./, stack: 's3' },
];

/**
 * Stacks suggested by the responses' header lines, most likely first (frameworks, then the layers in
 * front), each once with the line that suggested it.
 */
export function guessStacks(responses: readonly (readonly Header[])[]): StackGuess[] {
  const found = new Map<StackName, string>();
  for (const headers of responses)
    for (const [name, value] of headers)
      for (const clue of CLUES)
        if (clue.header.test(name) && clue.value.test(value.trim()) && !found.has(clue.stack))
          found.set(
            clue.stack,
            `${name}: ${name.toLowerCase() === 'set-cookie' ? value.split(';')[0]!.split('=')[0] : value}`,
          );
  // Laravel also sets PHP's clues: the framework is the better answer.
  if (found.has('laravel')) found.delete('php');
  return [...found.entries()]
    .map(([stack, evidence]) => ({ stack, evidence }))
    .sort((a, b) => Number(STACK_INFO[a.stack].proxy) - Number(STACK_INFO[b.stack].proxy));
}
