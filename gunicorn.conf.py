"""gunicorn's settings for the portal, used by `make run` and in production:

    gunicorn -c gunicorn.conf.py

Environment overrides: GUNICORN_BIND (e.g. "127.0.0.1:8000" or "unix:/run/irts-portal/gunicorn.sock",
several separated by commas), WEB_CONCURRENCY (worker processes), GUNICORN_THREADS (threads per
worker). Command-line flags win over this file (`make run` passes --bind from HOST and PORT).

Slow clients: a sync worker serves one connection at a time, from its first byte to its last, so a
client sending a byte per second holds a whole process; two of them took the site down. Here each
worker has threads, and a worker whose threads are all busy stops accepting, leaving new
connections to the others: a slow client costs one thread, and the site answers until
workers × threads of them at once. Past that, only a buffering proxy helps: in production, nginx
(deploy/nginx) reads each request whole before passing it on, and gunicorn listens on loopback or
a unix socket only, never on a public address.
"""

import os

wsgi_app = "irts_portal.wsgi:application"

# Loopback unless told otherwise: set explicitly, since gunicorn's own default binds every
# interface (0.0.0.0) whenever a PORT variable happens to be set.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Threads, not one process per connection: a request blocked on a slow client (or on the database)
# holds one thread while the worker's other threads go on serving.
worker_class = "gthread"
# Processes: about one per CPU core in production. Two keep the site up while one restarts.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads per process: each holds one database connection, so workers × threads stays well under
# PostgreSQL's max_connections (100 by default).
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# No more connections than threads: a worker whose threads are all taken (by slow clients, say)
# stops accepting, and the kernel hands new connections to a worker that can serve them, instead
# of queueing them behind the slow ones.
worker_connections = threads
# No kept-alive connections: an idle one would hold a connection slot above; behind nginx the
# upstream connections are not reused anyway, and on loopback a new connection costs nothing.
# A connection that sends nothing is dropped after gunicorn's 5-second wait for its first byte.
keepalive = 0

# A worker whose main loop stops reporting for this long is killed and replaced. With threads the
# loop reports every second whatever the requests do, so this catches a hung process, not a slow
# request (the proxy's timeouts cut those).
timeout = 20
# On restart or stop, requests in progress get this long to finish: a slow client must not delay a
# deployment for long.
graceful_timeout = 10

# The request line (method, address, version): our longest addresses (the admin's filtered lists)
# are a few hundred bytes; a line of several kilobytes is a probe, answered 400.
limit_request_line = 4094
# Header fields per request: a browser sends about twenty, nginx adds three.
limit_request_fields = 50
# The size of one header field: the cookies of the site's domain are the largest (session, CSRF
# and those of any other site on the same domain).
limit_request_field_size = 8190

# Only nginx's X-Forwarded-Proto is read, and only from loopback (forwarded_allow_ips' default):
# the other scheme headers that gunicorn knows could be set by a client and pass through the proxy.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# No control socket (gunicorn 27 opens one under ~/.gunicorn otherwise): nothing uses it, and it
# would be one more way into a running server.
control_socket_disable = True

# Requests and errors on the standard output, where systemd's journal or a terminal reads them.
accesslog = "-"
errorlog = "-"
