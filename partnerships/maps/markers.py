"""The partners on the map: each public institution with a position, and the destinations' names.

The base maps are files drawn once (`build`); what changes with the data (the markers, the names of
the destinations, their links) is placed here, on the same projection, at each rendering.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.safestring import SafeString, mark_safe

from partnerships.maps.frames import DESTINATION_REGIONS, VIEWS
from partnerships.maps.geometry import Frame, MapView, Point
from partnerships.models import Destination, Institution

FOLDER = Path(__file__).parent
# Markers closer than this (in the view's units: a view is 600 wide) would hide each other: they are
# spread on a small circle around their centre, as map makers do for places in the same town.
MARKER_SPACING = 13.0


@dataclass(frozen=True)
class Marker:
    institution: Institution
    x: float
    y: float

    @property
    def diamond(self) -> str:
        """Path data of the diamond that marks our own school, centred on the marker's place."""
        return f"M{self.x:g} {self.y - 8:g}l8 8-8 8-8-8z"


@dataclass(frozen=True)
class RegionLabel:
    destination: Destination
    x: int
    y: int


@dataclass(frozen=True)
class PartnerMap:
    view: MapView
    base: SafeString
    markers: list[Marker]
    labels: list[RegionLabel]

    @property
    def insets(self) -> tuple[Frame, ...]:
        return self.view.frames[1:]

    @property
    def listed(self) -> list[Institution]:
        """The institutions of the markers in reading order, for the list that follows the map."""
        return sorted((marker.institution for marker in self.markers), key=lambda i: (i.search_text, i.pk))


@cache
def base_drawing(slug: str) -> tuple[SafeString, dict[str, list[int]]]:
    """The committed base map's inner markup (its own file, ours), and its regions' anchors."""
    svg = (FOLDER / f"{slug}.svg").read_text(encoding="utf-8")
    inner = svg[svg.index(">") + 1 : svg.rindex("</svg>")].strip()
    anchors = json.loads((FOLDER / f"{slug}.json").read_text(encoding="utf-8"))["anchors"]
    return mark_safe(inner), anchors  # noqa: S308 (a file of the repository, written by build.py)


def partner_map(slug: str, institutions: list[Institution], destinations: list[Destination]) -> PartnerMap:
    view = VIEWS[slug]
    base, anchors = base_drawing(slug)
    placed = []
    for institution in institutions:
        if institution.latitude is None or institution.longitude is None:
            continue
        point = view.place(float(institution.longitude), float(institution.latitude))
        if point is not None:
            placed.append((institution, point))
    markers = spread(placed)
    labels = [
        RegionLabel(destination, *label_position(anchors[code], str(destination.name), markers))
        for destination in destinations
        if (code := destination.country.code) in DESTINATION_REGIONS[slug] and code in anchors
    ]
    return PartnerMap(view, base, markers, labels)


# Where a region's name may go, from its centre: there, else just below, above, left or right.
LABEL_SHIFTS = ((0, 0), (0, 24), (0, -24), (-48, 0), (48, 0), (0, 48), (0, -48))
LABEL_HEIGHT = 17  # the names' font size, in the view's units (static/css/portal.css)


def label_position(anchor: list[int], name: str, markers: list[Marker]) -> tuple[int, int]:
    """A place for a region's name near its centre that hides no marker."""
    half_width = len(name) * LABEL_HEIGHT * 0.3 + MARKER_SPACING / 2
    for dx, dy in LABEL_SHIFTS:
        x, y = anchor[0] + dx, anchor[1] + dy
        # The text's box: centred on x, its baseline at y, with a marker's radius around it.
        if not any(
            abs(marker.x - x) < half_width and y - LABEL_HEIGHT - 7 < marker.y < y + 11 for marker in markers
        ):
            return x, y
    return anchor[0], anchor[1]


def spread(placed: list[tuple[Institution, Point]]) -> list[Marker]:
    """Markers at their places, those that would overlap moved apart around their group's centre."""
    groups: list[list[tuple[Institution, Point]]] = []
    for institution, point in placed:
        group = next((g for g in groups if any(math.dist(point, p) < MARKER_SPACING for _, p in g)), None)
        if group is None:
            groups.append([(institution, point)])
        else:
            group.append((institution, point))
    markers = []
    for group in groups:
        if len(group) == 1:
            institution, (x, y) = group[0]
            markers.append(Marker(institution, round(x, 1), round(y, 1)))
            continue
        cx = sum(p[0] for _, p in group) / len(group)
        cy = sum(p[1] for _, p in group) / len(group)
        # On a circle just wide enough for the markers not to touch, the first one to the north-west.
        radius = MARKER_SPACING / (2 * math.sin(math.pi / len(group)))
        for index, (institution, _) in enumerate(group):
            angle = math.pi * 1.25 + 2 * math.pi * index / len(group)
            x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
            markers.append(Marker(institution, round(x, 1), round(y, 1)))
    return sorted(markers, key=lambda marker: (marker.y, marker.x))
