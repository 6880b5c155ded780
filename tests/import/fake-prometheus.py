#!/usr/bin/python3
"""fake-prometheus.py PORTFILE DIR [PEM] - a stand-in Prometheus for the cases a
real server will not produce on demand.

Listens on 127.0.0.1 (a free port, written to PORTFILE) and answers the
three API calls capplan import prometheus --url makes, by the first
component of the path, which the test puts in --url:

  /bearer/...  401 unless "Authorization: Bearer " + the first line of
               DIR/token, then as /empty
  /flaky/...   503 to the first two calls, then as /file
  /hang/...    answers nothing for 30 s
  /empty/...   no instance in the range
  /file/...    one instance, "127.0.0.1:19100"; every query_range gets
               DIR/response.json, every instant query an empty vector

With PEM (a certificate and its key), it speaks TLS.
Runs until killed; the test that starts it stops it.
"""
import http.server
import json
import os
import ssl
import sys
import time

port_file, folder = sys.argv[1], sys.argv[2]
calls = {"flaky": 0}


def body(obj):
    return json.dumps(obj).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, data, ctype="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def serve(self):
        n = int(self.headers.get("Content-Length", "0") or 0)
        if n:
            self.rfile.read(n)
        parts = self.path.split("?")[0].split("/")
        mode, api = parts[1], "/".join(parts[2:])
        if mode == "hang":
            time.sleep(30)
            return self.answer(503, b"too late")
        if mode == "bearer":
            with open(os.path.join(folder, "token")) as f:
                token = f.readline().rstrip("\r\n")
            if self.headers.get("Authorization") != "Bearer " + token:
                return self.answer(401, b"Unauthorized\n", "text/plain")
            mode = "empty"
        if mode == "flaky":
            calls["flaky"] += 1
            if calls["flaky"] <= 2:
                return self.answer(503, body({"status": "error",
                    "errorType": "unavailable", "error": "starting up"}))
            mode = "file"
        if api.startswith("api/v1/label/"):
            data = ["127.0.0.1:19100"] if mode == "file" else []
            return self.answer(200, body({"status": "success", "data": data}))
        if api == "api/v1/query_range":
            with open(os.path.join(folder, "response.json"), "rb") as f:
                return self.answer(200, f.read())
        if api == "api/v1/query":
            return self.answer(200, body({"status": "success", "data":
                {"resultType": "vector", "result": []}}))
        return self.answer(404, b"404 page not found\n", "text/plain")

    do_GET = serve
    do_POST = serve


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
if len(sys.argv) > 3:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[3])
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
with open(port_file + ".tmp", "w") as f:
    f.write("%d\n" % server.server_address[1])
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
