"""What the mobility admin's modules share."""

# A file rather than inline styles: the Content-Security-Policy allows no inline style.
ADMIN_CSS = {"all": ["admin/mobility/admin.css"]}
