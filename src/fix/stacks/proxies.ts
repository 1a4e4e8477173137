/**
 * Layers in front of the app: nginx, Apache httpd, Caddy, HAProxy, Traefik, and the AWS formats (S3 bucket
 * CORS, CloudFront response headers policy). A proxy that answers for CORS also strips the app's own
 * CORS headers, so there is one layer only (mistake 5); the app's CORS must then be removed or left to
 * be hidden. `127.0.0.1:3000` stands for the app behind it.
 */
import { dq, exactRegex, type FixCase, preflightMethods, titleCase } from '../case.ts';
import type { Generator } from '../types.ts';

const CORS_HEADERS = [
  'Access-Control-Allow-Origin',
  'Access-Control-Allow-Credentials',
  'Access-Control-Allow-Methods',
  'Access-Control-Allow-Headers',
  'Access-Control-Expose-Headers',
  'Access-Control-Max-Age',
];
const hdrs = (c: FixCase) => c.requestHeaders.map(titleCase).join(', ');
/** Header name → value for a listed origin, in the order they are written. */
function corsValues(c: FixCase, preflight: boolean, originValue: string): [string, string][] {
  const out: [string, string][] = [['Access-Control-Allow-Origin', originValue]];
  if (c.credentials) out.push(['Access-Control-Allow-Credentials', 'true']);
  if (c.expose.length > 0) out.push(['Access-Control-Expose-Headers', c.expose.join(', ')]);
  if (preflight) {
    out.push(['Access-Control-Allow-Methods', preflightMethods(c).join(', ')]);
    if (c.requestHeaders.length > 0) out.push(['Access-Control-Allow-Headers', hdrs(c)]);
    out.push(['Access-Control-Max-Age', String(c.maxAge)]);
  }
  return out;
}
const host = (c: FixCase) => c.site.replace(/^https?:\/\//, '');
const ONE_LAYER =
  "remove the CORS configuration of the app behind it (or keep the app's and drop this): one layer only";

export const nginx: Generator = (c) => {
  const values = corsValues(c, true, '$cors_origin').map(([n, v]) =>
    n === 'Access-Control-Allow-Origin'
      ? [n, v]
      : [n, n === 'Access-Control-Allow-Credentials' ? '$cors_credentials' : `"${v}"`],
  );
  return {
    code: `# in http { }: the page's exact origin, else empty (an empty add_header is not sent)
map $http_origin $cors_origin {
    default "";
    ${dq(c.origin)} $http_origin;
}
map $cors_origin $cors_credentials {
    default "${c.credentials ? 'true' : ''}";
    "" "";
}

# in the API's server { }
location / {
${CORS_HEADERS.map((h) => `    proxy_hide_header ${h};`).join('\n')}
${values.map(([n, v]) => `    add_header ${n} ${v} always;`).join('\n')}
    add_header Vary Origin always;
    if ($request_method = OPTIONS) {
        return 204;
    }
    proxy_pass http://127.0.0.1:3000; # your app
}`,
    where: `The maps in http { }, the location in the API's server { } (${host(c)}). \`always\` keeps the headers on 4xx/5xx; proxy_hide_header drops the app's copies; an add_header inside a nested location or if { } would silently discard these, so keep them here only. Then ${ONE_LAYER}.`,
    notes: [],
  };
};

export const apache: Generator = (c) => {
  const values = corsValues(c, true, '%{CORS_ORIGIN}e');
  return {
    code: `# a2enmod headers setenvif rewrite proxy proxy_http
SetEnvIf Origin "${exactRegex(c.origin)}" CORS_ORIGIN=$0
${CORS_HEADERS.map((h) => `Header unset ${h}`).join('\n')}
${values.map(([n, v]) => `Header always set ${n} "${v}" env=CORS_ORIGIN`).join('\n')}
Header always merge Vary Origin
RewriteEngine On
RewriteCond %{REQUEST_METHOD} OPTIONS
RewriteCond %{HTTP:Access-Control-Request-Method} !^$
RewriteRule ^ - [R=204,L]
ProxyPass "/" "http://127.0.0.1:3000/"`,
    where: `Inside the API's <VirtualHost> (${host(c)}), not in a <Location> of one path. \`Header always\` covers 4xx/5xx; \`Header unset\` drops the app's copies. Then ${ONE_LAYER}. Without a proxied app, leave out the ProxyPass line.`,
    notes: [],
  };
};

export const caddy: Generator = (c) => {
  const simple = corsValues(c, false, c.origin);
  const pre = corsValues(c, true, c.origin).slice(simple.length);
  return {
    code: `${c.site.startsWith('http://') ? c.site : host(c)} {
	@corsOrigin header Origin ${c.origin}
	header @corsOrigin {
${simple.map(([n, v]) => `\t\t${n} "${v}"`).join('\n')}
	}
	header +Vary Origin
	@preflight {
		method OPTIONS
		header Origin ${c.origin}
		header Access-Control-Request-Method *
	}
	handle @preflight {
${pre.map(([n, v]) => `\t\theader ${n} "${v}"`).join('\n')}
		respond 204
	}
	reverse_proxy 127.0.0.1:3000 {
${CORS_HEADERS.map((h) => `\t\theader_down -${h}`).join('\n')}
	}
}`,
    where: `The API's site block in the Caddyfile. The header directive writes before the proxy answers, so 4xx/5xx from the app keep the headers; header_down drops the app's copies. Then ${ONE_LAYER}.`,
    notes: [],
  };
};

export const haproxy: Generator = (c) => {
  const when = 'if { var(txn.cors_origin) -m found }';
  const pre = corsValues(c, true, '%[var(txn.cors_origin)]')
    .map(([n, v]) => `hdr ${n} "${v}"`)
    .join(' ');
  const simple = corsValues(c, false, '%[var(txn.cors_origin)]');
  return {
    code: `frontend api
    bind :80
    http-request set-var(txn.cors_origin) req.hdr(Origin) if { req.hdr(Origin) -m str ${c.origin} }
    http-request return status 204 ${pre} hdr Vary Origin if METH_OPTIONS { var(txn.cors_origin) -m found } { req.hdr(Access-Control-Request-Method) -m found }
    http-request return status 204 hdr Vary Origin if METH_OPTIONS { req.hdr(Access-Control-Request-Method) -m found }
${CORS_HEADERS.map((h) => `    http-response del-header ${h}`).join('\n')}
${simple.map(([n, v]) => `    http-response set-header ${n} "${v}" ${when}`).join('\n')}
    http-response add-header Vary Origin
    default_backend app

backend app
    server app1 127.0.0.1:3000`,
    where: `haproxy.cfg (HAProxy 2.2+ for http-request return), in the frontend that serves ${host(c)}, with your bind line and backend. The preflight is answered by HAProxy; http-response rules run on every status the app sends and del-header drops the app's copies. Then ${ONE_LAYER}.`,
    notes: [],
  };
};

const yamlList = (xs: readonly string[]) => `[${xs.map(dq).join(', ')}]`;

export const traefik: Generator = (c) => ({
  code: `http:
  middlewares:
    cors:
      headers:
        accessControlAllowOriginList: ${yamlList([c.origin])}
        accessControlAllowCredentials: ${c.credentials}
        accessControlAllowMethods: ${yamlList(preflightMethods(c))}
        accessControlAllowHeaders: ${yamlList(c.requestHeaders.map(titleCase))}
        accessControlExposeHeaders: ${yamlList(c.expose)}
        accessControlMaxAge: ${c.maxAge}
        addVaryHeader: true
  routers:
    api:
      rule: "Host(\`${host(c).replace(/:\d+$/, '')}\`)"
      middlewares: ["cors"]
      service: api # your service`,
  where: `Traefik v2/v3 dynamic configuration (file provider); with Docker labels, the same keys as traefik.http.middlewares.cors.headers.*. The middleware answers preflights itself. Then ${ONE_LAYER}.`,
  notes: [],
});

const S3_METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'HEAD']);

export const s3: Generator = (c) => ({
  code: JSON.stringify(
    {
      CORSRules: [
        {
          AllowedOrigins: [c.origin],
          AllowedMethods: c.methods.filter((m) => S3_METHODS.has(m)),
          AllowedHeaders: c.requestHeaders,
          ExposeHeaders: c.expose,
          MaxAgeSeconds: c.maxAge,
        },
      ],
    },
    null,
    2,
  ),
  where:
    "aws s3api put-bucket-cors --bucket <your-bucket> --cors-configuration file://cors.json. S3 answers preflights, echoes the origin with Vary: Origin and, for a listed origin, Access-Control-Allow-Credentials: true. With CloudFront in front, forward the Origin header (cache key) or the first origin's answer is served to all.",
  notes: c.methods.some((m) => !S3_METHODS.has(m) && m !== 'OPTIONS')
    ? ['S3 accepts only GET, PUT, POST, DELETE and HEAD.']
    : [],
});

const items = (xs: readonly string[]) => ({ Quantity: xs.length, Items: xs });
const CF_METHODS = new Set(['GET', 'POST', 'OPTIONS', 'PUT', 'DELETE', 'PATCH', 'HEAD']);

export const cloudfront: Generator = (c) => ({
  code: JSON.stringify(
    {
      Name: 'api-cors',
      CorsConfig: {
        AccessControlAllowOrigins: items([c.origin]),
        AccessControlAllowHeaders: items(c.requestHeaders),
        AccessControlAllowMethods: items(preflightMethods(c).filter((m) => CF_METHODS.has(m))),
        AccessControlAllowCredentials: c.credentials,
        AccessControlExposeHeaders: items(c.expose),
        AccessControlMaxAgeSec: c.maxAge,
        OriginOverride: true,
      },
    },
    null,
    2,
  ),
  where:
    "aws cloudfront create-response-headers-policy --response-headers-policy-config file://policy.json, then attach it to the API's cache behaviour, whose allowed methods must include OPTIONS. OriginOverride: true makes CloudFront's headers replace the origin's (one layer). Put the Origin header in the cache key (cache policy) so one origin's answer is not served to another.",
  notes: [],
});
