<?php
// A correct allow-list of two origins, but no Vary: Origin, on publicly cacheable responses: a shared
// cache hands one origin's Allow-Origin to the other.
require __DIR__ . '/api.php';

$origin = $_SERVER['HTTP_ORIGIN'] ?? '';
if (in_array($origin, [APP, ADMIN], true)) {
    header("Access-Control-Allow-Origin: $origin");
    header('Access-Control-Allow-Credentials: true');
    header('Access-Control-Expose-Headers: X-Request-Id');
}
header('Cache-Control: public, max-age=300');
if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS') {
    header('Access-Control-Allow-Methods: GET, PUT, DELETE');
    header('Access-Control-Allow-Headers: Authorization, Content-Type');
    http_response_code(204);
    exit;
}
serve_api();
