<?php
// A public, anonymous API: '*' on every response, no credentials, X-Request-Id exposed. Right as it is.
require __DIR__ . '/api.php';

header('Access-Control-Allow-Origin: *');
header('Access-Control-Expose-Headers: X-Request-Id');
if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS') {
    header('Access-Control-Allow-Methods: GET, PUT, DELETE');
    header('Access-Control-Allow-Headers: Content-Type');
    http_response_code(204);
    exit;
}
serve_api();
