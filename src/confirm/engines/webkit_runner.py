#!/usr/bin/python3
"""WebKitGTK runner for the cors-doctor browser suites (driven by test/harness/webkit.ts).

Run with Debian's /usr/bin/python3 (python3-gi, gir1.2-webkit2-4.1) under an X display (Xvfb).

Protocol, one JSON object per line:
  stdin:  {"id": "<token>", "pageUrl": "...", "call": {PageCall}, "timeoutMs": 10000}
          {"quit": true}
  stdout: {"ready": true, "version": "2.50.6"}                  once, after start-up
          {"id": "<token>", "result": {ok, status, responseType, readableHeaders, jsError}}
          {"id": "<token>", "error": "<what went wrong>"}
Console lines are NOT on stdout: with enable-write-console-messages-to-stdout and a persistent
website-data directory, the web process prints every console message on stderr
(`CONSOLE SECURITY ERROR <text>`). The page logs `console.info` markers `cors-doctor:begin:<id>` and
`cors-doctor:end:<id>` around each call, so the caller attributes the lines between them.

Only loopback traffic: no proxy, no DNS prefetch, no favicon database, no spell checking, no
page cache and disk cache off.
"""

import json
import os
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import GLib, Gtk, WebKit2  # noqa: E402

# The page-side call. Arguments arrive as JS variables (call_async_javascript_function): id, call.
CALL_JS = r"""
const settleMs = 100;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const out = { ok: false, status: null, responseType: null, readableHeaders: [], jsError: null };
console.info('cors-doctor:begin:' + id);
try {
  if (call.initiator === 'xhr') {
    await new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open(call.method, call.url, true);
      xhr.withCredentials = call.credentials === 'include';
      for (const [n, v] of call.headers) xhr.setRequestHeader(n, v);
      xhr.onload = () => {
        out.ok = true;
        out.status = xhr.status;
        out.responseType = null;
        const raw = xhr.getAllResponseHeaders();
        out.readableHeaders = raw
          .split('\r\n')
          .filter((l) => l.includes(':'))
          .map((l) => l.slice(0, l.indexOf(':')).trim().toLowerCase());
        resolve();
      };
      xhr.onerror = () => {
        out.jsError = 'XMLHttpRequest error (status ' + xhr.status + ')';
        resolve();
      };
      xhr.ontimeout = () => {
        out.jsError = 'XMLHttpRequest timeout';
        resolve();
      };
      xhr.timeout = timeoutMs;
      xhr.send(call.body === undefined || call.body === null ? null : call.body);
    });
  } else {
    const init = { method: call.method, headers: call.headers, credentials: call.credentials, mode: call.mode };
    if (call.redirect) init.redirect = call.redirect;
    if (call.body !== undefined && call.body !== null) init.body = call.body;
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), timeoutMs);
    init.signal = ctrl.signal;
    try {
      const res = await fetch(call.url, init);
      out.ok = true;
      out.status = res.status;
      out.responseType = res.type;
      out.readableHeaders = [...res.headers.keys()].map((n) => n.toLowerCase());
      try { await res.text(); } catch (e) {}
    } catch (e) {
      out.jsError = String(e);
    } finally {
      clearTimeout(timer);
    }
  }
} catch (e) {
  out.jsError = 'runner: ' + String(e);
}
out.readableHeaders = [...new Set(out.readableHeaders)].sort();
// Console messages about the load can trail the promise by a task or two: let them land inside the markers.
await sleep(settleMs);
console.info('cors-doctor:end:' + id);
return JSON.stringify(out);
"""


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class Runner:
    def __init__(self, data_dir):
        manager = WebKit2.WebsiteDataManager(
            base_data_directory=os.path.join(data_dir, "data"),
            base_cache_directory=os.path.join(data_dir, "cache"),
        )
        manager.set_itp_enabled(False)
        manager.set_network_proxy_settings(WebKit2.NetworkProxyMode.NO_PROXY, None)
        self.context = WebKit2.WebContext.new_with_website_data_manager(manager)
        # DOCUMENT_VIEWER: no memory or disk cache (every scenario a first visit). Cache sequences ask
        # for the browser's cache model instead (CORS_DOCTOR_WEBKIT_CACHE=1).
        keep = os.environ.get("CORS_DOCTOR_WEBKIT_CACHE") == "1"
        self.context.set_cache_model(
            WebKit2.CacheModel.WEB_BROWSER if keep else WebKit2.CacheModel.DOCUMENT_VIEWER
        )
        self.context.set_spell_checking_enabled(False)
        cookies = manager.get_cookie_manager()
        # Chromium's default: third-party cookies are sent (the scenarios test CORS, not cookie policy).
        cookies.set_accept_policy(WebKit2.CookieAcceptPolicy.ALWAYS)
        settings = WebKit2.Settings(
            enable_write_console_messages_to_stdout=True,
            enable_dns_prefetching=False,
            enable_page_cache=False,
            enable_developer_extras=False,
            enable_webaudio=False,
            enable_webgl=False,
            enable_media=False,
            enable_webrtc=False,
            auto_load_images=False,
            hardware_acceleration_policy=WebKit2.HardwareAccelerationPolicy.NEVER,
        )
        self.view = WebKit2.WebView(web_context=self.context, settings=settings)
        self.window = Gtk.OffscreenWindow()
        self.window.add(self.view)
        self.window.show_all()
        self.current = None  # the job being run: dict with id, pageUrl, call, timeoutMs, timer, stage
        self.view.connect("load-changed", self.on_load_changed)
        self.view.connect("load-failed", self.on_load_failed)
        self.view.connect("web-process-terminated", self.on_web_process_terminated)
        self.buffer = b""
        self.queue = []
        GLib.io_add_watch(0, GLib.IO_IN | GLib.IO_HUP | GLib.IO_ERR, self.on_stdin)

    # stdin: one JSON job per line, one job at a time (the caller waits for each answer).
    def on_stdin(self, fd, condition):
        chunk = os.read(fd, 65536) if condition & GLib.IO_IN else b""
        if not chunk:
            Gtk.main_quit()
            return False
        self.buffer += chunk
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            if line.strip():
                self.on_job(line)
        return True

    def on_job(self, line):
        try:
            job = json.loads(line)
        except ValueError as e:
            emit({"id": None, "error": "bad job line: %s" % e})
            return
        if job.get("quit"):
            Gtk.main_quit()
            return
        self.queue.append(job)
        self.next_job()

    def next_job(self):
        if self.current is not None or not self.queue:
            return
        job = self.queue.pop(0)
        job["stage"] = "load"
        timeout_ms = int(job.get("timeoutMs") or 10000)
        job["timer"] = GLib.timeout_add(timeout_ms + 2000, self.on_timeout)
        self.current = job
        if job.get("blank"):
            # check --confirm: an empty document whose origin is the user's page, never fetched.
            self.view.load_html("<!doctype html><title>cors-doctor confirm</title>", job["pageUrl"])
        else:
            self.view.load_uri(job["pageUrl"])

    def finish(self, payload):
        job = self.current
        if job is None:
            return
        self.current = None
        if job.get("timer"):
            GLib.source_remove(job["timer"])
        payload["id"] = job["id"]
        emit(payload)
        GLib.idle_add(self.next_job_once)

    def next_job_once(self):
        self.next_job()
        return False

    def on_timeout(self):
        if self.current is not None:
            self.current["timer"] = None
            stage = self.current["stage"]
            self.view.stop_loading()
            self.finish({"error": "timed out while %s" % stage})
        return False

    def on_load_failed(self, view, event, uri, error):
        if self.current is not None and self.current["stage"] == "load":
            self.current["stage"] = "failed"
            self.finish({"error": "page load failed: %s (%s)" % (error.message, uri)})
        return True

    def on_web_process_terminated(self, view, reason):
        self.finish({"error": "web process terminated: %s" % reason})

    def on_load_changed(self, view, event):
        job = self.current
        if job is None or job["stage"] != "load" or event != WebKit2.LoadEvent.FINISHED:
            return
        job["stage"] = "call"
        args = GLib.Variant(
            "a{sv}",
            {
                "id": GLib.Variant("s", job["id"]),
                "call": GLib.Variant("s", json.dumps(job["call"])),
                "timeoutMs": GLib.Variant("d", float(job.get("timeoutMs") or 10000)),
            },
        )
        body = "call = JSON.parse(call);\n" + CALL_JS
        self.view.call_async_javascript_function(body, -1, args, None, None, None, self.on_called, job["id"])

    def on_called(self, view, result, job_id):
        try:
            value = view.call_async_javascript_function_finish(result)
            text = value.to_string()
        except GLib.Error as e:
            if self.current is not None and self.current["id"] == job_id:
                self.finish({"error": "script failed: %s" % e.message})
            return
        if self.current is None or self.current["id"] != job_id:
            return
        try:
            self.finish({"result": json.loads(text)})
        except ValueError:
            self.finish({"error": "script returned %r" % text[:200]})


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: webkit_runner.py <website-data-dir>\n")
        return 2
    Runner(sys.argv[1])
    version = "%d.%d.%d" % (
        WebKit2.get_major_version(),
        WebKit2.get_minor_version(),
        WebKit2.get_micro_version(),
    )
    emit({"ready": True, "version": version})
    Gtk.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
