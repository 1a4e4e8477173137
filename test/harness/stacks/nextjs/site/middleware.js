// /mw/*: the Next docs' CORS middleware example as written (allow-list echo, no Vary, no credentials).
// /mwok/*: the same with Vary: Origin, Allow-Credentials and Expose-Headers.
import { NextResponse } from 'next/server';

const allowedOrigins = [process.env.CORS_DOCTOR_APP, process.env.CORS_DOCTOR_ADMIN];
const corsOptions = {
  'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization',
};

export function middleware(request) {
  const origin = request.headers.get('origin') ?? '';
  const isAllowedOrigin = allowedOrigins.includes(origin);
  const right = request.nextUrl.pathname.startsWith('/mwok/');
  const extra = right
    ? { Vary: 'Origin', ...(isAllowedOrigin ? { 'Access-Control-Allow-Credentials': 'true' } : {}) }
    : {};
  if (request.method === 'OPTIONS') {
    const preflightHeaders = {
      ...(isAllowedOrigin && { 'Access-Control-Allow-Origin': origin }),
      ...corsOptions,
      ...extra,
    };
    return NextResponse.json({}, { headers: preflightHeaders });
  }
  const response = NextResponse.next();
  if (isAllowedOrigin) response.headers.set('Access-Control-Allow-Origin', origin);
  for (const [key, value] of Object.entries({ ...corsOptions, ...extra })) response.headers.set(key, value);
  if (right) response.headers.set('Access-Control-Expose-Headers', 'X-Request-Id');
  return response;
}

export const config = { matcher: ['/mw/:path*', '/mwok/:path*'] };
