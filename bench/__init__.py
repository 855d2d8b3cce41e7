"""`make bench`: the portal's pages under load, served as in production, measured against /healthz.

A developer tool, not a test: it starts gunicorn with gunicorn.conf.py (DEBUG off) on a free
loopback port, loads each page with wrk, counts each page's database queries in-process, and
prints each page's throughput and latency as ratios to /healthz measured in the same run, beside
the performance goals. Only the ratios compare across machines. See README.md.
"""
