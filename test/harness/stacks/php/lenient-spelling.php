<?php
// Correct, but spelt the ways a naive checker flags: one Vary header listing Accept-Encoding and Origin,
// Allow-Headers in other case and order than the request's, 404s that keep the CORS headers.
require __DIR__ . '/api.php';

$origin = $_SERVER['HTTP_ORIGIN'] ?? '';
header('Vary: Accept-Encoding, Origin');
if (in_array($origin, [APP, ADMIN], true)) {
    header("access-control-allow-origin: $origin");
    header('access-control-allow-credentials: true');
    header('access-control-expose-headers: x-request-id');
}
if ($_SERVER['REQUEST_METHOD'] === 'OPTIONS') {
    header('access-control-allow-methods: PUT,DELETE,GET');
    header('access-control-allow-headers: CONTENT-TYPE,AUTHORIZATION');
    http_response_code(200);
    exit;
}
serve_api();
