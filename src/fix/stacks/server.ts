/**
 * Server frameworks outside JavaScript: Flask (flask-cors), Django (django-cors-headers), FastAPI /
 * Starlette, Rails and Rack (rack-cors), plain PHP, Laravel, Spring Boot, ASP.NET Core, Go (rs/cors and
 * plain net/http). Option names as of the versions Debian 12 ships (flask-cors 3.0, django-cors-headers
 * 3.14, rack-cors 1.1, rs/cors 1.7) and the current Laravel 11, Spring Boot 3, ASP.NET Core 8.
 *
 * Flask's two extra hooks come from running the fix against Flask (test/fix): a before_request login
 * check answers the preflight 401 even with flask-cors installed (flask-cors issues #170 and #201;
 * flask-login exempted OPTIONS for this reason, PR #244), and flask-cors sends no Vary: Origin when one
 * origin is listed (its get_cors_headers; flask-cors issue #148 and PR #293).
 */
import { dq, dqList, type FixCase, preflightMethods, pyList, titleCase } from '../case.ts';
import type { Generator } from '../types.ts';

const hdrs = (c: FixCase) => c.requestHeaders.map(titleCase);
const pyBool = (b: boolean) => (b ? 'True' : 'False');

export const flask: Generator = (c) => {
  const args = [`origins=${pyList([c.origin])}`];
  if (c.credentials) args.push('supports_credentials=True');
  args.push(`methods=${pyList(c.methods)}`);
  if (c.requestHeaders.length > 0) args.push(`allow_headers=${pyList(hdrs(c))}`);
  if (c.expose.length > 0) args.push(`expose_headers=${pyList(c.expose)}`);
  args.push(`max_age=${c.maxAge}`);
  return {
    code: `from flask import request
from flask_cors import CORS

CORS(app, ${args.join(', ')})

@app.before_request
def answer_preflight():
    # Before your auth hooks: a preflight carries no credentials, so it must not reach them.
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        return app.make_default_options_response()

@app.after_request
def vary_origin(response):
    # flask-cors omits Vary when one origin is listed, yet other origins get no header: caches need it.
    response.vary.add("Origin")
    return response`,
    where:
      'Right after `app = Flask(__name__)`, before any other @app.before_request (login checks), once for the whole app (not @cross_origin on some views). flask-cors adds the headers and Vary: Origin in an after_request hook, so 401/404/500 answers get them too; but it does not stop a before_request auth hook from answering the preflight 401, hence answer_preflight.',
    notes: [],
  };
};

export const django: Generator = (c) => {
  const lines = [
    'INSTALLED_APPS += ["corsheaders"]',
    '# First: before CommonMiddleware (its redirects), auth and CSRF, so every answer gets the headers.',
    'MIDDLEWARE.insert(0, "corsheaders.middleware.CorsMiddleware")',
    `CORS_ALLOWED_ORIGINS = ${dqList([c.origin])}`,
  ];
  if (c.credentials) lines.push('CORS_ALLOW_CREDENTIALS = True');
  lines.push(`CORS_ALLOW_METHODS = ${dqList(preflightMethods(c))}`);
  if (c.requestHeaders.length > 0) lines.push(`CORS_ALLOW_HEADERS = ${dqList(c.requestHeaders)}`);
  if (c.expose.length > 0) lines.push(`CORS_EXPOSE_HEADERS = ${dqList(c.expose)}`);
  lines.push(`CORS_PREFLIGHT_MAX_AGE = ${c.maxAge}`);
  return {
    code: lines.join('\n'),
    where:
      'At the end of settings.py (pip install django-cors-headers). Remove CORS_ALLOW_ALL_ORIGINS / CORS_ORIGIN_ALLOW_ALL and any view that sets Access-Control-* itself.',
    notes: [],
  };
};

export const fastapi: Generator = (c) => {
  const args = [`allow_origins=${pyList([c.origin])}`];
  args.push(`allow_credentials=${pyBool(c.credentials)}`);
  args.push(`allow_methods=${pyList(c.methods)}`);
  if (c.requestHeaders.length > 0) args.push(`allow_headers=${pyList(hdrs(c))}`);
  if (c.expose.length > 0) args.push(`expose_headers=${pyList(c.expose)}`);
  args.push(`max_age=${c.maxAge}`);
  return {
    code: `from fastapi.middleware.cors import CORSMiddleware

app.add_middleware(
    CORSMiddleware,
${args.map((a) => `    ${a},`).join('\n')}
)`,
    where:
      'Right after `app = FastAPI()` (Starlette: `from starlette.middleware.cors import CORSMiddleware`), added last so it is the outermost middleware and wraps auth and exception handlers. An unhandled exception (500) still leaves without the headers: catch it in an exception handler.',
    notes: [],
  };
};

export const rails: Generator = (c) => {
  const opts = [`headers: ${dqList(hdrs(c))}`];
  opts.push(
    `methods: [${preflightMethods(c)
      .map((m) => `:${m.toLowerCase()}`)
      .join(', ')}]`,
  );
  if (c.expose.length > 0) opts.push(`expose: ${dqList(c.expose)}`);
  if (c.credentials) opts.push('credentials: true');
  opts.push(`max_age: ${c.maxAge}`);
  return {
    code: `Rails.application.config.middleware.insert_before 0, Rack::Cors do
  allow do
    origins ${dq(c.origin)}
    resource "*",
      ${opts.join(',\n      ')}
  end
end`,
    where:
      'config/initializers/cors.rb (gem "rack-cors"). `insert_before 0` puts it ahead of every other middleware, so errors raised later still get the headers. Plain Rack (Sinatra, Roda): the same block as `use Rack::Cors do … end` at the top of config.ru.',
    notes: [],
  };
};

function phpHeaders(c: FixCase): string {
  const simple = [
    '    header("Access-Control-Allow-Origin: $origin");',
    ...(c.credentials ? ["    header('Access-Control-Allow-Credentials: true');"] : []),
    ...(c.expose.length > 0 ? [`    header('Access-Control-Expose-Headers: ${c.expose.join(', ')}');`] : []),
  ];
  const pre = [
    `        header('Access-Control-Allow-Methods: ${preflightMethods(c).join(', ')}');`,
    ...(c.requestHeaders.length > 0
      ? [`        header('Access-Control-Allow-Headers: ${hdrs(c).join(', ')}');`]
      : []),
    `        header('Access-Control-Max-Age: ${c.maxAge}');`,
  ];
  return `$allowedOrigins = ['${c.origin}'];
$origin = $_SERVER['HTTP_ORIGIN'] ?? '';
header('Vary: Origin', false);
$corsAllowed = in_array($origin, $allowedOrigins, true);
if ($corsAllowed) {
${simple.join('\n')}
}
if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS' && isset($_SERVER['HTTP_ACCESS_CONTROL_REQUEST_METHOD'])) {
    if ($corsAllowed) {
${pre.join('\n')}
    }
    http_response_code(204);
    exit;
}`;
}

export const php: Generator = (c) => ({
  code: `<?php
${phpHeaders(c)}`,
  where:
    "At the very top of the front controller (index.php) or a file every entry point require_once's, before session checks, auth and any output: headers sent later are lost when a 401 or a fatal error ends the script first.",
  notes: [],
});

export const laravel: Generator = (c) => ({
  code: `<?php
// config/cors.php
return [
    'paths' => ['${c.path === '/' ? '*' : `${c.path.split('/')[1]}/*`}'],
    'allowed_methods' => ${dqList(c.methods).replace(/"/g, "'")},
    'allowed_origins' => ['${c.origin}'],
    'allowed_origins_patterns' => [],
    'allowed_headers' => ${dqList(hdrs(c)).replace(/"/g, "'")},
    'exposed_headers' => ${dqList(c.expose).replace(/"/g, "'")},
    'max_age' => ${c.maxAge},
    'supports_credentials' => ${c.credentials ? 'true' : 'false'},
];`,
  where:
    "config/cors.php (`php artisan config:publish cors` on Laravel 11). The framework's HandleCors middleware is global and runs before auth; `paths` must cover the route the page calls. Run `php artisan config:clear` after the change.",
  notes: [],
});

export const spring: Generator = (c) => ({
  code: `import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

@Configuration
public class CorsConfig {
    @Bean
    CorsConfigurationSource corsConfigurationSource() {
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(List.of(${dq(c.origin)}));
        config.setAllowedMethods(List.of(${c.methods.map(dq).join(', ')}));
        config.setAllowedHeaders(List.of(${hdrs(c).map(dq).join(', ')}));
        config.setExposedHeaders(List.of(${c.expose.map(dq).join(', ')}));
        config.setAllowCredentials(${c.credentials});
        config.setMaxAge(${c.maxAge}L);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", config);
        return source;
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        // cors() puts the CorsFilter before authentication: preflights and 401s get the headers.
        http.cors(Customizer.withDefaults());
        http.authorizeHttpRequests(auth -> auth.anyRequest().authenticated()); // your rules here
        return http.build();
    }
}`,
  where:
    'A @Configuration class (Spring Boot 3, Spring Security 6). Remove @CrossOrigin annotations and WebMvcConfigurer.addCorsMappings so one configuration decides.',
  notes: [],
});

export const aspnet: Generator = (c) => {
  const policy = [
    `policy.WithOrigins(${dq(c.origin)})`,
    `.WithMethods(${c.methods.map(dq).join(', ')})`,
    ...(c.requestHeaders.length > 0 ? [`.WithHeaders(${hdrs(c).map(dq).join(', ')})`] : []),
    ...(c.expose.length > 0 ? [`.WithExposedHeaders(${c.expose.map(dq).join(', ')})`] : []),
    ...(c.credentials ? ['.AllowCredentials()'] : []),
    `.SetPreflightMaxAge(TimeSpan.FromSeconds(${c.maxAge}))`,
  ];
  return {
    code: `builder.Services.AddCors(options =>
    options.AddPolicy("Frontend", policy =>
        ${policy.join('\n            ')}));

// after var app = builder.Build();
app.UseRouting();
app.UseCors("Frontend"); // after UseRouting, before UseAuthentication/UseAuthorization
app.UseAuthentication();
app.UseAuthorization();`,
    where:
      'Program.cs (ASP.NET Core 6+). UseCors must sit between UseRouting and UseAuthentication, or preflights and 401s leave without the headers; an unhandled exception page (500) also drops them unless UseExceptionHandler runs first.',
    notes: [],
  };
};

const goList = (xs: readonly string[]) => `[]string{${xs.map(dq).join(', ')}}`;

export const go: Generator = (c) => {
  const fields = [
    `AllowedOrigins:   ${goList([c.origin])},`,
    `AllowedMethods:   ${goList(c.methods)},`,
    ...(c.requestHeaders.length > 0 ? [`AllowedHeaders:   ${goList(hdrs(c))},`] : []),
    ...(c.expose.length > 0 ? [`ExposedHeaders:   ${goList(c.expose)},`] : []),
    ...(c.credentials ? ['AllowCredentials: true,'] : []),
    `MaxAge:           ${c.maxAge},`,
  ];
  return {
    code: `import "github.com/rs/cors"

// withCORS wraps the whole router: preflights are answered (204) before any route, and every answer,
// errors included, gets the headers and Vary: Origin.
func withCORS(next http.Handler) http.Handler {
	return cors.New(cors.Options{
${fields.map((f) => `\t\t${f}`).join('\n')}
	}).Handler(next)
}`,
    where:
      'Next to main (imports merged with yours), then serve `withCORS(mux)` instead of `mux`. Gin: `r.Use(cors.New(...))` from github.com/rs/cors/wrapper/gin with the same Options; Echo and chi: wrap the router the same way.',
    notes: [],
  };
};

export const goHttp: Generator = (c) => {
  const allowed = [
    '\t\t\th.Set("Access-Control-Allow-Origin", origin)',
    ...(c.credentials ? ['\t\t\th.Set("Access-Control-Allow-Credentials", "true")'] : []),
    ...(c.expose.length > 0
      ? [`\t\t\th.Set("Access-Control-Expose-Headers", ${dq(c.expose.join(', '))})`]
      : []),
  ];
  const pre = [
    `\t\t\t\th.Set("Access-Control-Allow-Methods", ${dq(preflightMethods(c).join(', '))})`,
    ...(c.requestHeaders.length > 0
      ? [`\t\t\t\th.Set("Access-Control-Allow-Headers", ${dq(hdrs(c).join(', '))})`]
      : []),
    `\t\t\t\th.Set("Access-Control-Max-Age", "${c.maxAge}")`,
  ];
  return {
    code: `var allowedOrigins = map[string]bool{${dq(c.origin)}: true}

// withCORS wraps the whole router, so every answer (errors included) carries the headers.
func withCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		ok := allowedOrigins[origin]
		if ok {
${allowed.join('\n')}
		}
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			if ok {
${pre.join('\n')}
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}`,
    where: 'Next to main (package main, "net/http" imported), then serve `withCORS(mux)` instead of `mux`.',
    notes: [],
  };
};
