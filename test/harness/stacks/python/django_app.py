"""The corpus's Django API (Django + django-cors-headers from Debian) in one file, one settings variant
per way people configure CORS.

Started by test/harness/stacks/python.ts with CORS_VARIANT, APP_ORIGIN, ADMIN_ORIGIN, BODY, REQUEST_ID
and PORT in the environment. It runs the system checks first and then Django's own runserver WSGI
server (django.core.servers.basehttp.run), as `manage.py runserver --noreload` does.
"""
import os
import sys

import django
from django.conf import settings

VARIANT = os.environ["CORS_VARIANT"]
APP = os.environ["APP_ORIGIN"]
ADMIN = os.environ["ADMIN_ORIGIN"]
BODY = os.environ["BODY"]
REQUEST_ID = os.environ["REQUEST_ID"]

CORS_MW = "corsheaders.middleware.CorsMiddleware"
COMMON_MW = "django.middleware.common.CommonMiddleware"
CSRF_MW = "django.middleware.csrf.CsrfViewMiddleware"
AUTH_MW = "__main__.TokenAuthMiddleware"

cfg = dict(
    CORS_ALLOWED_ORIGINS=[APP, ADMIN],
    CORS_ALLOW_CREDENTIALS=True,
    CORS_EXPOSE_HEADERS=["X-Request-Id"],
    # Title case on purpose: Allow-Headers is compared case-insensitively by browsers.
    CORS_ALLOW_HEADERS=["Content-Type", "Authorization"],
)
middleware = [CORS_MW, COMMON_MW, CSRF_MW]
slash_urls = False
csrf_exempt_views = True

if VARIANT == "correct":
    pass
elif VARIANT == "csrf":
    csrf_exempt_views = False
elif VARIANT == "allow-all-credentials":
    cfg.update(CORS_ALLOW_ALL_ORIGINS=True)
    del cfg["CORS_ALLOWED_ORIGINS"]
elif VARIANT == "allow-all":
    cfg = dict(CORS_ALLOW_ALL_ORIGINS=True)
elif VARIANT == "auth-above-cors":
    middleware = [AUTH_MW, CORS_MW, COMMON_MW, CSRF_MW]
elif VARIANT == "below-common":
    middleware = [COMMON_MW, CORS_MW, CSRF_MW]
    slash_urls = True
elif VARIANT == "slash-correct":
    slash_urls = True
elif VARIANT == "urls-regex":
    # path_info starts with '/', so this never matches.
    cfg.update(CORS_URLS_REGEX=r"^api/.*$")
elif VARIANT == "headers-short":
    cfg.update(CORS_ALLOW_HEADERS=["x-csrftoken", "content-type"])
elif VARIANT == "methods-short":
    cfg.update(CORS_ALLOW_METHODS=["GET", "POST", "OPTIONS"])
elif VARIANT == "expose-missing":
    del cfg["CORS_EXPOSE_HEADERS"]
elif VARIANT == "explicit-port":
    cfg.update(CORS_ALLOWED_ORIGINS=[APP + ":443", ADMIN])
elif VARIANT == "wrong-case":
    cfg.update(CORS_ALLOWED_ORIGINS=["https://App.MyShop.test", ADMIN])
elif VARIANT == "www":
    cfg.update(CORS_ALLOWED_ORIGINS=[APP.replace("https://", "https://www."), ADMIN])
elif VARIANT == "trailing-slash":
    cfg.update(CORS_ALLOWED_ORIGINS=[APP + "/", ADMIN])
elif VARIANT == "localhost":
    cfg.update(CORS_ALLOWED_ORIGINS=[APP, "http://localhost:3000"])
elif VARIANT == "null":
    cfg.update(CORS_ALLOWED_ORIGINS=[APP, "null"])
elif VARIANT == "regex-unanchored":
    del cfg["CORS_ALLOWED_ORIGINS"]
    cfg.update(CORS_ALLOWED_ORIGIN_REGEXES=[r"^https://.*\.myshop\.test"])
elif VARIANT == "regex-subdomains":
    del cfg["CORS_ALLOWED_ORIGINS"]
    cfg.update(CORS_ALLOWED_ORIGIN_REGEXES=[r"^https://\w+\.myshop\.test$"])
elif VARIANT == "hand-written":
    middleware = ["__main__.SimpleCorsMiddleware", COMMON_MW]
    cfg = {}
else:
    raise SystemExit(f"unknown CORS_VARIANT {VARIANT!r}: add it to django_app.py")

settings.configure(
    DEBUG=False,
    SECRET_KEY="corpus-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["corsheaders"],
    MIDDLEWARE=middleware,
    APPEND_SLASH=True,
    DATABASES={},
    LOGGING_CONFIG=None,
    **cfg,
)
django.setup()

from django.http import HttpResponse, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils.cache import patch_vary_headers  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from django.views.decorators.http import require_http_methods  # noqa: E402
from django.views.decorators.vary import vary_on_headers  # noqa: E402


def authed(request):
    return request.headers.get("Authorization", "").startswith("Bearer ") or request.COOKIES.get("session") == "ok"


class TokenAuthMiddleware:
    """A hand-written token check for /api/private, the kind placed above CorsMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/private") and not authed(request):
            return JsonResponse({"error": "unauthorized"}, status=401)
        return self.get_response(request)


class SimpleCorsMiddleware:
    """The hand-written CORS middleware of many answers: an allow-list echo without Vary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = HttpResponse(status=200)
        else:
            response = self.get_response(request)
        origin = request.headers.get("Origin")
        if origin in (APP, ADMIN):
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Credentials"] = "true"
            response["Access-Control-Allow-Methods"] = "GET, POST, PUT, DELETE"
            response["Access-Control-Allow-Headers"] = "Content-Type, Authorization"
            response["Access-Control-Expose-Headers"] = "X-Request-Id"
        if request.path == "/api/data":
            response["Cache-Control"] = "public, max-age=300"
        return response


def maybe_exempt(view):
    return csrf_exempt(view) if csrf_exempt_views else view


def data_response():
    resp = HttpResponse(BODY, content_type="application/json")
    resp["X-Request-Id"] = REQUEST_ID
    return resp


@maybe_exempt
@require_http_methods(["GET", "POST", "PUT", "DELETE"])
@vary_on_headers("Accept-Encoding")
def data(request):
    return data_response()


@maybe_exempt
@require_http_methods(["GET", "PUT"])
def private(request):
    if not authed(request):
        return JsonResponse({"error": "unauthorized"}, status=401)
    return data_response()


def boom(request):
    raise RuntimeError("boom")


slash = "/" if slash_urls else ""
urlpatterns = [
    path("api/data" + slash, data),
    path("api/private" + slash, private),
    path("api/boom" + slash, boom),
]
del patch_vary_headers

if __name__ == "__main__":
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError
    from django.core.servers.basehttp import WSGIServer, run
    from django.core.wsgi import get_wsgi_application

    try:
        call_command("check")  # what runserver does before it serves
    except SystemCheckError as e:
        print(e, file=sys.stderr)
        sys.exit(1)

    class Server(WSGIServer):
        # runserver listens with a backlog of 10; check's parallel probes overflow it and wait 1 s for
        # the SYN retry. A deeper backlog changes nothing Django answers.
        request_queue_size = 128

    run("127.0.0.1", int(os.environ["PORT"]), get_wsgi_application(), threading=True, server_cls=Server)
