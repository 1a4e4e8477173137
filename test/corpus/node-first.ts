/**
 * The first 54 real-framework cases (Express, Fastify, Koa, Hono, node:http, nginx in front), written
 * with `check` itself in issue 6, before the corpus existed: round 1. They live in
 * ../diagnosis/framework-cases.ts because the real-Chromium agreement test replays them too.
 */
import { CASES, NGINX_CASES, nginxSkip } from '../diagnosis/framework-cases.ts';
import type { StackCorpus } from './case.ts';

const stacks = ['express', 'fastify', 'koa', 'hono', 'node'];

export const corpora: StackCorpus[] = [
  ...stacks.map((stack) => ({
    stack,
    cases: CASES.filter((c) => c.name.startsWith(`${stack}:`)).map((c) => ({ ...c, round: 1 as const })),
  })),
  {
    stack: 'nginx',
    missing: () => nginxSkip,
    cases: NGINX_CASES.map((c) => ({ ...c, round: 1 as const })),
  },
];
