<?php
// The login check sits at the top of the front controller, before the CORS block: its 401 (the
// preflight's too, which never carries credentials) goes out without CORS headers.
require __DIR__ . '/api.php';

if (path() === '/api/private' && !authenticated()) {
    http_response_code(401);
    exit;
}
$origin = $_SERVER['HTTP_ORIGIN'] ?? '';
header('Vary: Origin');
if (in_array($origin, [APP, ADMIN], true)) {
    header("Access-Control-Allow-Origin: $origin");
    header('Access-Control-Allow-Credentials: true');
    header('Access-Control-Expose-Headers: X-Request-Id');
}
if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS') {
    header('Access-Control-Allow-Methods: GET, PUT, DELETE');
    header('Access-Control-Allow-Headers: Authorization, Content-Type');
    http_response_code(204);
    exit;
}
serve_api();
