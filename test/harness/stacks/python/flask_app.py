"""The corpus's Flask API (Flask + flask-cors from Debian), one variant per way people configure CORS.

Started by test/harness/stacks/python.ts with CORS_VARIANT, APP_ORIGIN, ADMIN_ORIGIN, BODY, REQUEST_ID
and PORT in the environment; served by Werkzeug's threaded dev server (what `flask run` uses), so
OPTIONS, 404 and 405 are answered exactly as Flask answers them.
"""
import os

from flask import Blueprint, Flask, abort, make_response, request
from flask_cors import CORS, cross_origin

VARIANT = os.environ["CORS_VARIANT"]
APP = os.environ["APP_ORIGIN"]
ADMIN = os.environ["ADMIN_ORIGIN"]
BODY = os.environ["BODY"]
REQUEST_ID = os.environ["REQUEST_ID"]

app = Flask(__name__)


def authed():
    return request.headers.get("Authorization", "").startswith("Bearer ") or request.cookies.get("session") == "ok"


def data_response():
    resp = make_response(BODY)
    resp.headers["Content-Type"] = "application/json"
    resp.headers["X-Request-Id"] = REQUEST_ID
    return resp


def unauthorized():
    resp = make_response('{"error": "unauthorized"}', 401)
    resp.headers["Content-Type"] = "application/json"
    return resp


def add_api_routes(target):
    """GET/PUT/DELETE /api/data, /api/private (401 without auth via abort), /api/boom (500)."""

    @target.route("/api/data", methods=["GET", "PUT", "DELETE"])
    def data():
        return data_response()

    @target.route("/api/private", methods=["GET", "PUT"])
    def private():
        if not authed():
            abort(401)
        return data_response()

    @target.route("/api/boom")
    def boom():
        raise RuntimeError("boom")


STRICT = dict(
    supports_credentials=True,
    expose_headers=["X-Request-Id"],
    allow_headers=["Content-Type", "Authorization"],
    methods=["GET", "PUT", "DELETE"],
)


def strict(origins, **extra):
    CORS(app, resources={r"/api/*": {"origins": origins}}, **{**STRICT, **extra})


if VARIANT == "correct":
    strict([APP, ADMIN])
    add_api_routes(app)
elif VARIANT == "wrong-case":
    # flask-cors compares origins case-insensitively (RFC 4343), so this list works.
    strict(["https://App.MyShop.test", ADMIN])
    add_api_routes(app)
elif VARIANT == "trailing-slash":
    strict([APP + "/", ADMIN])
    add_api_routes(app)
elif VARIANT == "http-scheme":
    strict([APP.replace("https://", "http://"), ADMIN])
    add_api_routes(app)
elif VARIANT == "localhost":
    strict([APP, "http://localhost:3000"])
    add_api_routes(app)
elif VARIANT == "null":
    strict([APP, "null"])
    add_api_routes(app)
elif VARIANT == "regex-unanchored":
    # A string with regex characters is a regex to flask-cors, matched with re.match: anchored at the
    # start only.
    strict([r"https://.*\.myshop\.test"])
    add_api_routes(app)
elif VARIANT == "methods-short":
    strict([APP, ADMIN], methods=["GET", "POST"])
    add_api_routes(app)
elif VARIANT == "public":
    CORS(app, resources={r"/api/*": {"origins": "*"}}, send_wildcard=True)
    add_api_routes(app)
elif VARIANT == "default":
    CORS(app)
    add_api_routes(app)
elif VARIANT == "star-credentials":
    # origins defaults to '*'; with credentials flask-cors echoes the Origin (flask-cors#202).
    CORS(app, supports_credentials=True)
    add_api_routes(app)
elif VARIANT == "resources-mismatch":
    CORS(app, resources={r"/api/v1/*": {"origins": [APP, ADMIN]}}, **STRICT)
    add_api_routes(app)
elif VARIANT == "view-headers":
    # CORS written by hand in the views: Flask answers OPTIONS itself (200 + Allow), abort() skips it.
    @app.route("/api/data", methods=["GET", "PUT", "DELETE"])
    def data():
        resp = data_response()
        if request.headers.get("Origin") in (APP, ADMIN):
            resp.headers["Access-Control-Allow-Origin"] = request.headers["Origin"]
            resp.headers["Access-Control-Allow-Credentials"] = "true"
            resp.headers["Access-Control-Expose-Headers"] = "X-Request-Id"
            resp.headers["Vary"] = "Origin"
        return resp

    @app.route("/api/private", methods=["GET", "PUT"])
    def private():
        if not authed():
            abort(401)
        return data()
elif VARIANT == "cross-origin-get-only":
    # One view per method; @cross_origin only on the GET one.
    @app.route("/api/data", methods=["GET"])
    @cross_origin(origins=[APP, ADMIN], supports_credentials=True, expose_headers=["X-Request-Id"])
    def data_get():
        return data_response()

    @app.route("/api/data", methods=["PUT", "DELETE"])
    def data_put():
        return data_response()
elif VARIANT in ("after-request-star", "double", "double-skipped"):
    if VARIANT == "double-skipped":
        # Registered first, so its after_request runs last: it sees the '*' and adds nothing.
        CORS(app, supports_credentials=True)

    # The after_request snippet from Stack Overflow question 26980713.
    @app.after_request
    def after_request(response):
        response.headers.add("Access-Control-Allow-Origin", "*")
        response.headers.add("Access-Control-Allow-Headers", "Content-Type,Authorization")
        response.headers.add("Access-Control-Allow-Methods", "GET,PUT,POST,DELETE,OPTIONS")
        return response

    if VARIANT == "double":
        # Registered last, so it runs first and the hand-written '*' is added after its echo.
        CORS(app)
    add_api_routes(app)
elif VARIANT == "echo-no-vary":
    @app.after_request
    def after_request(response):
        origin = request.headers.get("Origin")
        if origin in (APP, ADMIN):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Credentials"] = "true"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type, Authorization"
            response.headers["Access-Control-Allow-Methods"] = "GET, PUT, DELETE"
            response.headers["Access-Control-Expose-Headers"] = "X-Request-Id"
        if request.path == "/api/data":
            response.headers["Cache-Control"] = "public, max-age=300"
        return response

    add_api_routes(app)
elif VARIANT == "before-request-auth":
    strict([APP, ADMIN])

    @app.before_request
    def require_login():
        # Runs for OPTIONS too: the preflight never carries credentials.
        if request.path.startswith("/api/") and not authed():
            return unauthorized()

    add_api_routes(app)
elif VARIANT == "blueprint":
    api = Blueprint("api", __name__)
    CORS(api, origins=[APP, ADMIN], **STRICT)
    add_api_routes(api)
    app.register_blueprint(api)
elif VARIANT == "slash-routes":
    # Routes declared with a trailing slash: Werkzeug redirects /api/data to /api/data/ (308).
    strict([APP, ADMIN])

    @app.route("/api/data/", methods=["GET", "PUT", "DELETE"])
    def data():
        return data_response()
elif VARIANT == "vary-two-lines":
    strict([APP, ADMIN])

    @app.route("/api/data", methods=["GET", "PUT", "DELETE"])
    def data():
        resp = data_response()
        resp.headers["Vary"] = "Accept-Encoding"
        return resp
else:
    raise SystemExit(f"unknown CORS_VARIANT {VARIANT!r}: add it to flask_app.py")

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ["PORT"]), threaded=True, debug=False, use_reloader=False)
