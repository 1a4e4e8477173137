<?php
// The bootstrap sets the origin; a later "make it work" line adds '*' with replace = false, so the
// response carries two Access-Control-Allow-Origin headers.
require __DIR__ . '/api.php';

$origin = $_SERVER['HTTP_ORIGIN'] ?? '';
header('Vary: Origin');
if (in_array($origin, [APP, ADMIN], true)) {
    header("Access-Control-Allow-Origin: $origin");
    header('Access-Control-Allow-Credentials: true');
}
header('Access-Control-Allow-Origin: *', false);
if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS') {
    header('Access-Control-Allow-Methods: GET, PUT, DELETE');
    header('Access-Control-Allow-Headers: Authorization, Content-Type');
    http_response_code(204);
    exit;
}
serve_api();
