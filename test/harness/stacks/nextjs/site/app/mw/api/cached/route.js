import { data } from '../../../../lib.js';

export async function GET() {
  return data({ 'Cache-Control': 'public, max-age=300' });
}
