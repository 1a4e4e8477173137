<?php
// The usual allow-list front controller; the list and the allowed headers come from the environment
// (CORS_ORIGINS comma-separated, CORS_HEADERS), which is where the variants' typos live.
require __DIR__ . '/api.php';

$allowed = explode(',', getenv('CORS_ORIGINS'));
$origin = $_SERVER['HTTP_ORIGIN'] ?? '';
header('Vary: Origin');
if (in_array($origin, $allowed, true)) {
    header("Access-Control-Allow-Origin: $origin");
    header('Access-Control-Allow-Credentials: true');
    header('Access-Control-Expose-Headers: X-Request-Id');
}
if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS') {
    header('Access-Control-Allow-Methods: GET, PUT, DELETE');
    header('Access-Control-Allow-Headers: ' . (getenv('CORS_HEADERS') ?: 'Authorization, Content-Type'));
    http_response_code(204);
    exit;
}
serve_api();
