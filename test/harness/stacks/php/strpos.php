<?php
// "Allow our domain": a substring test on the Origin, with credentials.
require __DIR__ . '/api.php';

$origin = $_SERVER['HTTP_ORIGIN'] ?? '';
header('Vary: Origin');
if (strpos($origin, 'myshop.test') !== false) {
    header("Access-Control-Allow-Origin: $origin");
    header('Access-Control-Allow-Credentials: true');
    header('Access-Control-Expose-Headers: X-Request-Id');
}
serve_api();
