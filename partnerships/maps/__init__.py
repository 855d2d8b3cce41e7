"""The partners' map: two views drawn as SVG by our own code, without tiles or third-party requests.

`geometry` holds the projection and the views' frames, shared by `build` (which draws the committed
base maps from Natural Earth data) and `markers` (which places the partners on them at request time).
"""
