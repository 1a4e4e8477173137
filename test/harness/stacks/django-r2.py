"""Round 2 of issue 10's Django corpus (Debian's Django 3.2 + django-cors-headers 3.14): setups from real
reports, one settings variant per case, served by runserver's WSGI server after the system checks.

Started by python-r2.ts with CORS_VARIANT, APP_ORIGIN, ADMIN_ORIGIN, BODY, REQUEST_ID and PORT.
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
SECURITY_MW = "django.middleware.security.SecurityMiddleware"

cfg = dict(
    CORS_ALLOWED_ORIGINS=[APP, ADMIN],
    CORS_ALLOW_CREDENTIALS=True,
    CORS_EXPOSE_HEADERS=["X-Request-Id"],
    CORS_ALLOW_HEADERS=["content-type", "authorization"],
)
middleware = [CORS_MW, COMMON_MW]

if VARIANT == "credentials-annotation":
    # django-cors-headers#863: `CORS_ALLOW_CREDENTIALS: True` in settings.py is an annotation, not an
    # assignment. Run that very line as a settings module would and keep what it defines.
    ns = {}
    exec("CORS_ALLOW_CREDENTIALS: True", ns)
    del cfg["CORS_ALLOW_CREDENTIALS"]
    cfg.update({k: v for k, v in ns.items() if k.startswith("CORS_")})
elif VARIANT == "ssl-redirect-first":
    # startproject's order (SecurityMiddleware first) with SECURE_SSL_REDIRECT on, CorsMiddleware below it.
    middleware = [SECURITY_MW, CORS_MW, COMMON_MW]
    cfg.update(SECURE_SSL_REDIRECT=True)
elif VARIANT == "allow-not-expose":
    # X-Request-Id added to CORS_ALLOW_HEADERS (request headers) in the hope of reading it.
    from corsheaders.defaults import default_headers

    del cfg["CORS_EXPOSE_HEADERS"]
    cfg.update(CORS_ALLOW_HEADERS=[*default_headers, "x-request-id"])
elif VARIANT == "regex-anchored":
    del cfg["CORS_ALLOWED_ORIGINS"]
    cfg.update(CORS_ALLOWED_ORIGIN_REGEXES=[r"^https://(app|admin)\.myshop\.test$"])
elif VARIANT == "correct":
    pass
else:
    raise SystemExit(f"unknown CORS_VARIANT {VARIANT!r}: add it to django-r2.py")

settings.configure(
    DEBUG=False,
    SECRET_KEY="corpus-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["corsheaders"],
    MIDDLEWARE=middleware,
    DATABASES={},
    LOGGING_CONFIG=None,
    **cfg,
)
django.setup()

from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from django.views.decorators.http import require_http_methods  # noqa: E402


def data_response():
    resp = HttpResponse(BODY, content_type="application/json")
    resp["X-Request-Id"] = REQUEST_ID
    return resp


@csrf_exempt
@require_http_methods(["GET", "PUT", "DELETE"])
def data(request):
    return data_response()


@csrf_exempt
@require_http_methods(["GET"])
def report(request):
    return data_response()


urlpatterns = [path("api/data", data), path("api/report", report)]

if __name__ == "__main__":
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError
    from django.core.servers.basehttp import WSGIServer, run
    from django.core.wsgi import get_wsgi_application

    try:
        call_command("check")
    except SystemCheckError as e:
        print(e, file=sys.stderr)
        sys.exit(1)

    class Server(WSGIServer):
        request_queue_size = 128  # runserver's 10 overflows under check's parallel probes

    run("127.0.0.1", int(os.environ["PORT"]), get_wsgi_application(), threading=True, server_cls=Server)
