<?php
// The API every PHP variant serves (the same resource as the Node apps): GET/PUT/DELETE /api/data,
// /api/private behind authentication (401 JSON), other paths 404. APP and ADMIN come from the
// environment, so every stack is judged against the same page origins.
define('APP', getenv('APP'));
define('ADMIN', getenv('ADMIN'));

function path(): string
{
    return parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
}

function authenticated(): bool
{
    return str_starts_with($_SERVER['HTTP_AUTHORIZATION'] ?? '', 'Bearer ')
        || preg_match('/(^|;\s*)session=ok\b/', $_SERVER['HTTP_COOKIE'] ?? '') === 1;
}

function json(int $status, string $body): void
{
    http_response_code($status);
    header('Content-Type: application/json');
    echo $body;
}

function serve_api(): void
{
    switch (path()) {
        case '/api/data':
            if (!in_array($_SERVER['REQUEST_METHOD'], ['GET', 'HEAD', 'PUT', 'DELETE'], true)) {
                json(405, '{"error":"method not allowed"}');
                return;
            }
            header('X-Request-Id: ' . getenv('REQUEST_ID'));
            json(200, getenv('BODY'));
            return;
        case '/api/private':
            if (!authenticated()) {
                json(401, '{"error":"login required"}');
                return;
            }
            header('X-Request-Id: ' . getenv('REQUEST_ID'));
            json(200, getenv('BODY'));
            return;
        default:
            json(404, '{"error":"not found"}');
    }
}
