/**
 * NestJS 11 on @nestjs/platform-express, in this process, configured the ways people configure CORS in
 * Nest. The decorators are applied as plain functions (what `@Controller()` compiles to), so tsx needs
 * no `experimentalDecorators`: the metadata Nest reads is the same.
 */
import 'reflect-metadata';
import type { Server } from 'node:http';
import {
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  Header,
  Module,
  Put,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface.js';
import { NestFactory } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { ADMIN, APP, authenticated, BODY, REQUEST_ID, type RunningApp } from '../apps/common.ts';

export type NestVariant =
  /** `app.enableCors()` with no options: the `cors` package's defaults (`*`, no credentials). */
  | 'enable-cors-default'
  /** `enableCors({ origin: true, credentials: true })`: every origin echoed, with credentials. */
  | 'origin-true-credentials'
  /** `NestFactory.create(AppModule, { cors: {…} })` with an allow-list, credentials, exposed header. */
  | 'factory-cors'
  /** An auth middleware registered with `app.use()` before `app.enableCors()`. */
  | 'use-auth-before-cors'
  /** `@Header('Access-Control-Allow-Origin', '*')` on the controller plus `enableCors` with credentials. */
  | 'header-decorator-wildcard'
  /** `enableCors()` called after `app.init()`: the router is already mounted in front of it. */
  | 'cors-after-init'
  /** The Angular dev server's origin left in the production list. */
  | 'localhost-left-in'
  /** The allow-list from an env var with a trailing slash. */
  | 'trailing-slash'
  /** `methods: 'GET,POST'` (the API also has PUT). */
  | 'methods-short'
  /** `allowedHeaders: 'Content-Type'` (the page sends Authorization). */
  | 'headers-short'
  /** Allow-list with credentials but no `exposedHeaders`. */
  | 'not-exposed'
  /** Only the admin front end is on the list. */
  | 'other-origin-only';

/** Guard on /api/private: Nest turns the exception into a 401 JSON response. */
class AuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (authenticated(req.headers)) return true;
    throw new UnauthorizedException('login required');
  }
}

function decorateMethod(proto: object, key: string, ...decorators: MethodDecorator[]) {
  const desc = Object.getOwnPropertyDescriptor(proto, key)!;
  for (const d of decorators) d(proto, key, desc);
}

function buildModule(variant: NestVariant) {
  class DataController {
    data() {
      return JSON.parse(BODY) as unknown;
    }
    update() {
      return JSON.parse(BODY) as unknown;
    }
    private() {
      return JSON.parse(BODY) as unknown;
    }
  }
  const p = DataController.prototype;
  const rid = Header('X-Request-Id', REQUEST_ID);
  decorateMethod(p, 'data', Get('data'), rid);
  decorateMethod(p, 'update', Put('data'), rid);
  decorateMethod(p, 'private', Get('private'), rid, UseGuards(new AuthGuard()));
  if (variant === 'header-decorator-wildcard') {
    // Someone "fixes" CORS on the controller too; Nest sets it with setHeader, replacing cors()'s value.
    for (const k of ['data', 'update', 'private'])
      decorateMethod(p, k, Header('Access-Control-Allow-Origin', '*'));
  }
  Controller('api')(DataController);
  class AppModule {}
  Module({ controllers: [DataController] })(AppModule);
  return AppModule;
}

export async function startNest(variant: NestVariant): Promise<RunningApp> {
  const good: CorsOptions = { origin: [APP], credentials: true, exposedHeaders: ['X-Request-Id'] };
  const AppModule = buildModule(variant);
  const app = await NestFactory.create(AppModule, {
    logger: false,
    ...(variant === 'factory-cors' ? { cors: good } : {}),
  });
  switch (variant) {
    case 'enable-cors-default':
      app.enableCors();
      break;
    case 'origin-true-credentials':
      app.enableCors({ origin: true, credentials: true, exposedHeaders: ['X-Request-Id'] });
      break;
    case 'factory-cors':
      break;
    case 'use-auth-before-cors':
      app.use((req: Request, res: Response, next: NextFunction) => {
        if (authenticated(req.headers)) return next();
        res.status(401).json({ statusCode: 401, message: 'login required' });
      });
      app.enableCors(good);
      break;
    case 'header-decorator-wildcard':
      app.enableCors(good);
      break;
    case 'cors-after-init':
      await app.init();
      app.enableCors(good);
      break;
    case 'localhost-left-in':
      app.enableCors({ ...good, origin: [APP, 'http://localhost:4200'] });
      break;
    case 'trailing-slash':
      app.enableCors({ ...good, origin: `${APP}/`.split(',') });
      break;
    case 'methods-short':
      app.enableCors({ ...good, methods: 'GET,POST' });
      break;
    case 'headers-short':
      app.enableCors({ ...good, allowedHeaders: 'Content-Type' });
      break;
    case 'not-exposed':
      app.enableCors({ origin: [APP], credentials: true });
      break;
    case 'other-origin-only':
      app.enableCors({ ...good, origin: [ADMIN] });
      break;
  }
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('Nest did not report a TCP address');
  return {
    base: `http://127.0.0.1:${addr.port}`,
    close: async () => {
      server.closeAllConnections();
      await app.close();
    },
  };
}
