<?php
// The most copied PHP answer: header("Access-Control-Allow-Origin: *") at the top of the one script
// that needed it. The router's other answers (the 404 page, the private endpoint) never get it.
require __DIR__ . '/api.php';

if (path() === '/api/data') {
    header('Access-Control-Allow-Origin: *');
    header('X-Request-Id: ' . getenv('REQUEST_ID'));
    json(200, getenv('BODY'));
    exit;
}
serve_api();
