// One Next.js app, three CORS setups under three prefixes (one build per test run):
//   /api/*   route handlers set CORS on their own responses (no OPTIONS export)
//   /cfg/*   next.config.js headers() (the Next docs' "CORS in next.config.js")
//   /mw/*    middleware.js as in the Next docs' example; /mwok/* the same, done right
const APP = process.env.CORS_DOCTOR_APP ?? 'https://app.myshop.test';
const ADMIN = process.env.CORS_DOCTOR_ADMIN ?? 'https://admin.myshop.test';

export default {
  env: { CORS_DOCTOR_APP: APP, CORS_DOCTOR_ADMIN: ADMIN },
  poweredByHeader: false,
  async headers() {
    return [
      {
        source: '/cfg/:path*',
        headers: [
          { key: 'Access-Control-Allow-Origin', value: APP },
          { key: 'Access-Control-Allow-Credentials', value: 'true' },
          { key: 'Access-Control-Allow-Methods', value: 'GET, PUT, DELETE' },
          { key: 'Access-Control-Allow-Headers', value: 'Content-Type, Authorization' },
          { key: 'Access-Control-Expose-Headers', value: 'X-Request-Id' },
        ],
      },
    ];
  },
};
