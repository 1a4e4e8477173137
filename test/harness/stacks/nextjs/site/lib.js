export const BODY = JSON.stringify({ items: [1, 2, 3] });
export const REQUEST_ID = 'req-7f3a';
export const APP = process.env.CORS_DOCTOR_APP;
export const ADMIN = process.env.CORS_DOCTOR_ADMIN;

export function authenticated(request) {
  const auth = request.headers.get('authorization') ?? '';
  const cookie = request.headers.get('cookie') ?? '';
  return auth.startsWith('Bearer ') || /(^|;\s*)session=ok\b/.test(cookie);
}

export function data(extra = {}) {
  return new Response(BODY, {
    headers: { 'Content-Type': 'application/json', 'X-Request-Id': REQUEST_ID, ...extra },
  });
}
