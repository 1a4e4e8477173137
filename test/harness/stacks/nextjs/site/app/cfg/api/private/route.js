import { authenticated, data } from '../../../../lib.js';

export async function GET(request) {
  if (!authenticated(request)) return Response.json({ error: 'login required' }, { status: 401 });
  return data();
}
