"""The map's two views: which part of the world each shows, and how it is projected.

Shared by the build script, which draws the base maps from these frames, and by the markers, which
must fall on the same projection: change a frame, then run the build again.
"""

from django.utils.translation import gettext_lazy as _

from partnerships.maps.geometry import Frame, MapView

EUROPE = MapView(
    slug="europe",
    title=_("Europe"),
    width=600,
    height=520,
    frames=(
        # From Portugal to Apulia, from Sicily to the Baltic.
        Frame(
            "main",
            centre=(4.5, 46.0),
            scale=1500,
            origin=(300, 267),
            box=(0, 0, 600, 520),
            covers=(-30, 30, 40, 70),
        ),
        # La Réunion, 9,000 km away, in a box over the Atlantic, as French maps show overseas regions.
        Frame(
            "reunion",
            centre=(55.53, -21.12),
            scale=5200,
            origin=(50, 232),
            box=(8, 190, 84, 84),
            covers=(55.0, -21.6, 56.0, -20.6),
            label=_("La Réunion"),
        ),
    ),
)

QUEBEC = MapView(
    slug="quebec",
    title=_("Québec"),
    width=600,
    height=360,
    frames=(
        # Southern Québec, where the partners are: from the Ottawa river to the Magdalen Islands.
        Frame(
            "main",
            centre=(-70.5, 48.3),
            scale=2400,
            origin=(283, 194),
            box=(0, 0, 600, 360),
            covers=(-90, 40, -50, 60),
        ),
    ),
)

VIEWS = {view.slug: view for view in (EUROPE, QUEBEC)}

# The regions each view highlights, by the country code of the destinations they stand for.
DESTINATION_REGIONS = {
    "europe": ("FR", "BE", "PT", "DE", "IT"),
    "quebec": ("CA",),  # the province of Québec, the network's Canadian destination
}
