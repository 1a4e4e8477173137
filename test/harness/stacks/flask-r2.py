"""Round 2 of issue 10's Flask corpus (Debian's Flask + flask-cors 3.0): setups from real reports.

Started by python-r2.ts with CORS_VARIANT, APP_ORIGIN, ADMIN_ORIGIN, BODY, REQUEST_ID and PORT in the
environment, on Werkzeug's threaded dev server (what `flask run` uses).
"""
import os

from flask import Flask, make_response, request
from flask_cors import CORS

VARIANT = os.environ["CORS_VARIANT"]
APP = os.environ["APP_ORIGIN"]
ADMIN = os.environ["ADMIN_ORIGIN"]
BODY = os.environ["BODY"]
REQUEST_ID = os.environ["REQUEST_ID"]

app = Flask(__name__)


@app.route("/api/data", methods=["GET", "PUT", "DELETE"])
def data():
    resp = make_response(BODY)
    resp.headers["Content-Type"] = "application/json"
    resp.headers["X-Request-Id"] = REQUEST_ID
    return resp


if VARIANT == "default-cookie":
    # CORS(app) as in corydolphin/flask-cors#132: origins '*' echoed, supports_credentials off.
    CORS(app)
elif VARIANT == "credentials-python-true":
    # Hand-written after_request with the Python bool True: Werkzeug sends the header as "True".
    @app.after_request
    def add_cors(response):
        origin = request.headers.get("Origin")
        response.headers["Vary"] = "Origin"
        if origin in (APP, ADMIN):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Credentials"] = True
            response.headers["Access-Control-Expose-Headers"] = "X-Request-Id"
        return response
elif VARIANT == "default-allow-headers":
    # allow_headers and methods left at flask-cors's defaults ('*' and every method): it echoes what the
    # preflight asks for. The allow-list and credentials are explicit.
    CORS(
        app,
        resources={r"/api/*": {"origins": [APP, ADMIN]}},
        supports_credentials=True,
        expose_headers=["X-Request-Id"],
    )
else:
    raise SystemExit(f"unknown CORS_VARIANT {VARIANT!r}: add it to flask-r2.py")

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ["PORT"]), threaded=True, debug=False, use_reloader=False)
