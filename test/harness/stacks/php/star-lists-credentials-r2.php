<?php
// The origin echoed from an allow-list with credentials, but `*` for the methods and headers: with
// credentials the browser reads `*` there as a literal name.
require __DIR__ . '/api.php';

$origin = $_SERVER['HTTP_ORIGIN'] ?? '';
header('Vary: Origin');
if (in_array($origin, [APP, ADMIN], true)) {
    header("Access-Control-Allow-Origin: $origin");
    header('Access-Control-Allow-Credentials: true');
    header('Access-Control-Expose-Headers: X-Request-Id');
}
if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS') {
    header('Access-Control-Allow-Methods: *');
    header('Access-Control-Allow-Headers: *');
    http_response_code(204);
    exit;
}
serve_api();
