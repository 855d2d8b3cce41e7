"""Log records as an operator wants them: one line for a request refused for the client's fault."""

import logging


class PortalFormatter(logging.Formatter):
    """Client errors (4xx: a forged Host, an undecodable body) print one line, without the
    traceback that Django attaches: it points into Django's request parsing and says nothing an
    operator can act on, while a flood of such requests would bury the server errors."""

    def format(self, record: logging.LogRecord) -> str:
        if 400 <= getattr(record, "status_code", 0) < 500 and record.exc_info:
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        return super().format(record)


class MalformedRequestsOnly(logging.Filter):
    """From django.request, keep what says a request was malformed (400, 413) or failed (5xx).

    404s, 403s and 405s are ordinary traffic (robots, old links, expired pages)."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", 500)
        return status in (400, 413) or status >= 500
