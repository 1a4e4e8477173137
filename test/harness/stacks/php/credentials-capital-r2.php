<?php
// An allow-list done right except for the spelling of the credentials flag: "True" (browsers accept only
// the exact, lower-case "true").
require __DIR__ . '/api.php';

$origin = $_SERVER['HTTP_ORIGIN'] ?? '';
header('Vary: Origin');
if (in_array($origin, [APP, ADMIN], true)) {
    header("Access-Control-Allow-Origin: $origin");
    header('Access-Control-Allow-Credentials: True');
    header('Access-Control-Expose-Headers: X-Request-Id');
}
if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS') {
    header('Access-Control-Allow-Methods: GET, PUT, DELETE');
    header('Access-Control-Allow-Headers: Authorization, Content-Type');
    http_response_code(204);
    exit;
}
serve_api();
