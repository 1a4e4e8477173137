/**
 * cors-doctor's library API: the pure layers (browser model, catalog, diagnosis, explain), which import
 * no `node:` module and run unchanged in a web page. The live prober is `cors-doctor/check` (Node only);
 * the middleware is `cors-doctor/middleware` and its adapters `cors-doctor/{node,fastify,koa,fetch}`.
 */
export * from './browser/index.ts';
export * from './catalog/index.ts';
export { diagnose, probesFor, rules } from './diagnosis/index.ts';
export type * from './diagnosis/types.ts';
export { ACCEPTS, explain } from './explain/index.ts';
export type * from './explain/types.ts';
