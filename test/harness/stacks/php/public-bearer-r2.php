<?php
// A public, token-authenticated API: `*` without credentials, Authorization listed by name on the
// preflight (a bearer token needs no cookies, so `*` is fine).
require __DIR__ . '/api.php';

header('Access-Control-Allow-Origin: *');
header('Access-Control-Expose-Headers: X-Request-Id');
if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS') {
    header('Access-Control-Allow-Methods: GET, PUT, DELETE');
    header('Access-Control-Allow-Headers: Authorization, Content-Type');
    header('Access-Control-Max-Age: 600');
    http_response_code(204);
    exit;
}
serve_api();
