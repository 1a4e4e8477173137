// CORS set in the handler, as the Next docs' route-handler example does; no OPTIONS export, so Next
// answers the preflight itself.
import { APP, data } from '../../../lib.js';

const cors = {
  'Access-Control-Allow-Origin': APP,
  'Access-Control-Allow-Credentials': 'true',
  'Access-Control-Allow-Methods': 'GET, PUT, DELETE',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization',
  'Access-Control-Expose-Headers': 'X-Request-Id',
};

export async function GET() {
  return data(cors);
}
export async function PUT() {
  return data(cors);
}
