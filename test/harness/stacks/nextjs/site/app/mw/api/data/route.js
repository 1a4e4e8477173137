import { data } from '../../../../lib.js';

export async function GET() {
  return data();
}
export async function PUT() {
  return data();
}
