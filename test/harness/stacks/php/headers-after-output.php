<?php
// The CORS block is right, but an included file already printed a newline: PHP has sent the headers,
// every header() below only warns "Cannot modify header information - headers already sent".
require __DIR__ . '/api.php';
require __DIR__ . '/config-with-output.php';

$origin = $_SERVER['HTTP_ORIGIN'] ?? '';
header('Vary: Origin');
if (in_array($origin, $cors_origins, true)) {
    header("Access-Control-Allow-Origin: $origin");
    header('Access-Control-Allow-Credentials: true');
}
serve_api();
