"""What the mobility admin's modules share."""

# A file rather than inline styles: the Content-Security-Policy allows no inline style.
ADMIN_CSS = {"all": ["admin/mobility/admin.css"]}


def no_store(response):
    """Personal data must not linger in a shared or browser cache, nor be sniffed into another type."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
