/**
 * The stacks `check --stack` knows: canonical names, the aliases people type, display names, the
 * language of the snippet (Markdown fences, syntax checks) and whether the generated fix is run against
 * a real server in this project's tests (test/fix). Pure data: the catalog's docs import it too.
 */

export const STACK_NAMES = [
  'express',
  'fastify',
  'koa',
  'hono',
  'nestjs',
  'nextjs',
  'node',
  'cors-doctor',
  'flask',
  'django',
  'fastapi',
  'rails',
  'php',
  'laravel',
  'spring',
  'aspnet',
  'go',
  'go-http',
  'nginx',
  'apache',
  'caddy',
  'haproxy',
  'traefik',
  's3',
  'cloudfront',
  'cloudflare',
] as const;

export type StackName = (typeof STACK_NAMES)[number];

export interface StackInfo {
  label: string;
  /** Markdown fence language. */
  lang: string;
  /** A layer in front of the app (proxy, CDN, storage) rather than the app itself. */
  proxy: boolean;
  /** The generated fix runs against a real server in test/fix; otherwise it is marked "not run here". */
  runnable: boolean;
}

export const STACK_INFO: Readonly<Record<StackName, StackInfo>> = {
  express: { label: 'Express (cors)', lang: 'js', proxy: false, runnable: true },
  fastify: { label: 'Fastify (@fastify/cors v11)', lang: 'js', proxy: false, runnable: true },
  koa: { label: 'Koa (@koa/cors v5)', lang: 'js', proxy: false, runnable: true },
  hono: { label: 'Hono (hono/cors)', lang: 'ts', proxy: false, runnable: true },
  nestjs: { label: 'NestJS (enableCors)', lang: 'ts', proxy: false, runnable: false },
  nextjs: { label: 'Next.js route handlers (app router)', lang: 'ts', proxy: false, runnable: false },
  node: { label: 'Plain node:http', lang: 'js', proxy: false, runnable: true },
  'cors-doctor': { label: 'cors-doctor middleware', lang: 'js', proxy: false, runnable: true },
  flask: { label: 'Flask (flask-cors)', lang: 'python', proxy: false, runnable: true },
  django: { label: 'Django (django-cors-headers)', lang: 'python', proxy: false, runnable: true },
  fastapi: { label: 'FastAPI / Starlette (CORSMiddleware)', lang: 'python', proxy: false, runnable: false },
  rails: { label: 'Rails / Rack (rack-cors)', lang: 'ruby', proxy: false, runnable: true },
  php: { label: 'Plain PHP', lang: 'php', proxy: false, runnable: true },
  laravel: { label: 'Laravel (config/cors.php)', lang: 'php', proxy: false, runnable: false },
  spring: {
    label: 'Spring Boot (Spring Security + CorsConfigurationSource)',
    lang: 'java',
    proxy: false,
    runnable: false,
  },
  aspnet: { label: 'ASP.NET Core (UseCors)', lang: 'csharp', proxy: false, runnable: false },
  go: { label: 'Go (github.com/rs/cors)', lang: 'go', proxy: false, runnable: true },
  'go-http': { label: 'Go (net/http, no library)', lang: 'go', proxy: false, runnable: true },
  nginx: { label: 'nginx', lang: 'nginx', proxy: true, runnable: true },
  apache: { label: 'Apache httpd', lang: 'apache', proxy: true, runnable: true },
  caddy: { label: 'Caddy', lang: 'caddy', proxy: true, runnable: true },
  haproxy: { label: 'HAProxy (2.2+)', lang: 'haproxy', proxy: true, runnable: true },
  traefik: { label: 'Traefik (headers middleware)', lang: 'yaml', proxy: true, runnable: false },
  s3: { label: 'Amazon S3 bucket CORS', lang: 'json', proxy: true, runnable: false },
  cloudfront: {
    label: 'Amazon CloudFront (response headers policy)',
    lang: 'json',
    proxy: true,
    runnable: false,
  },
  cloudflare: { label: 'Cloudflare Workers', lang: 'js', proxy: true, runnable: false },
};

/** What people type for each stack (lower-case). */
const ALIASES: Readonly<Record<string, StackName>> = {
  'express.js': 'express',
  expressjs: 'express',
  connect: 'express',
  '@fastify/cors': 'fastify',
  '@koa/cors': 'koa',
  nest: 'nestjs',
  next: 'nextjs',
  'next.js': 'nextjs',
  'node:http': 'node',
  http: 'node',
  nodejs: 'node',
  cors_doctor: 'cors-doctor',
  'flask-cors': 'flask',
  'django-cors-headers': 'django',
  corsheaders: 'django',
  starlette: 'fastapi',
  rack: 'rails',
  'rack-cors': 'rails',
  ruby: 'rails',
  sinatra: 'rails',
  'plain-php': 'php',
  'spring-boot': 'spring',
  springboot: 'spring',
  java: 'spring',
  'asp.net': 'aspnet',
  'asp.net-core': 'aspnet',
  dotnet: 'aspnet',
  '.net': 'aspnet',
  golang: 'go',
  'rs/cors': 'go',
  gin: 'go',
  echo: 'go',
  chi: 'go',
  'net/http': 'go-http',
  httpd: 'apache',
  apache2: 'apache',
  aws: 's3',
  'amazon-s3': 's3',
  'aws-s3': 's3',
  cdn: 'cloudfront',
  workers: 'cloudflare',
  'cloudflare-workers': 'cloudflare',
};

/** `--stack` text → the stack, or undefined. Case and surrounding spaces do not matter. */
export function resolveStack(text: string): StackName | undefined {
  const t = text.trim().toLowerCase();
  if ((STACK_NAMES as readonly string[]).includes(t)) return t as StackName;
  return ALIASES[t];
}

/** Aliases of one stack (for help text and the unknown-name message). */
export function aliasesOf(stack: StackName): string[] {
  return Object.entries(ALIASES)
    .filter(([, s]) => s === stack)
    .map(([a]) => a);
}
