<?php
// Every allowed origin in one header (Stack Overflow question 1653308's first attempt).
require __DIR__ . '/api.php';

$allowed = [APP, ADMIN];
header('Access-Control-Allow-Origin: ' . implode(', ', $allowed));
header('Access-Control-Allow-Credentials: true');
header('Access-Control-Expose-Headers: X-Request-Id');
if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS') {
    header('Access-Control-Allow-Methods: GET, PUT, DELETE');
    header('Access-Control-Allow-Headers: Authorization, Content-Type');
    http_response_code(204);
    exit;
}
serve_api();
