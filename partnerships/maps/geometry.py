"""Projection, clipping and simplification for the partners' map, in plain Python.

Both views use the Lambert azimuthal equal-area projection on the sphere (the projection of the
European Environment Agency's maps, EPSG:3035, there on the ellipsoid): areas keep their proportions,
and around a view's centre shapes stay true enough for a map of a few hundred kilometres.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Point = tuple[float, float]
Ring = list[Point]


@dataclass(frozen=True)
class Frame:
    """A part of a view drawn with one projection: the main map, or an inset such as La Réunion.

    `centre` is (longitude, latitude) in degrees; `scale` is SVG units per radian of the projection;
    `origin` is where the centre falls in the view; `box` is the rectangle (x, y, width, height) the
    frame is clipped to, in the view's units.
    """

    name: str
    centre: Point
    scale: float
    origin: Point
    box: tuple[float, float, float, float]
    # The longitudes and latitudes a place must lie in to be drawn in this frame: an inset shows a
    # small part of the world that the main frame's projection would put far outside the view.
    covers: tuple[float, float, float, float]
    label: "StrOrPromise" = ""  # an inset's caption, drawn in its box

    def project(self, longitude: float, latitude: float) -> Point:
        lon0, lat0 = (math.radians(value) for value in self.centre)
        lon, lat = math.radians(longitude), math.radians(latitude)
        cos_c = math.sin(lat0) * math.sin(lat) + math.cos(lat0) * math.cos(lat) * math.cos(lon - lon0)
        k = math.sqrt(2 / (1 + cos_c)) if cos_c > -1 else 0.0
        x = k * math.cos(lat) * math.sin(lon - lon0)
        y = k * (math.cos(lat0) * math.sin(lat) - math.sin(lat0) * math.cos(lat) * math.cos(lon - lon0))
        return (self.origin[0] + self.scale * x, self.origin[1] - self.scale * y)

    def covers_place(self, longitude: float, latitude: float) -> bool:
        west, south, east, north = self.covers
        return west <= longitude <= east and south <= latitude <= north

    def contains(self, point: Point) -> bool:
        x, y, width, height = self.box
        return x <= point[0] <= x + width and y <= point[1] <= y + height


@dataclass(frozen=True)
class MapView:
    slug: str
    title: "StrOrPromise"
    width: int
    height: int
    frames: tuple[Frame, ...]

    def place(self, longitude: float, latitude: float) -> Point | None:
        """Where a place falls in this view, or None if no frame of it shows that place."""
        for frame in self.frames:
            if frame.covers_place(longitude, latitude):
                point = frame.project(longitude, latitude)
                if frame.contains(point):
                    return point
        return None


def clip_ring(ring: Sequence[Point], box: tuple[float, float, float, float]) -> Ring:
    """The part of a closed ring inside a rectangle (Sutherland–Hodgman).

    Exact for filled areas, which is all the map draws: a ring that leaves the box and comes back
    runs along the box's edge in between, where the frame's border covers it.
    """
    left, top, width, height = box
    right, bottom = left + width, top + height
    edges = (
        (lambda p: p[0] >= left, lambda a, b: _at_x(a, b, left)),
        (lambda p: p[0] <= right, lambda a, b: _at_x(a, b, right)),
        (lambda p: p[1] >= top, lambda a, b: _at_y(a, b, top)),
        (lambda p: p[1] <= bottom, lambda a, b: _at_y(a, b, bottom)),
    )
    points: Ring = list(ring)
    for inside, crossing in edges:
        if not points:
            break
        kept: Ring = []
        previous = points[-1]
        for current in points:
            if inside(current):
                if not inside(previous):
                    kept.append(crossing(previous, current))
                kept.append(current)
            elif inside(previous):
                kept.append(crossing(previous, current))
            previous = current
        points = kept
    return points


def _at_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _at_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def simplify(points: Sequence[Point], tolerance: float) -> Ring:
    """Douglas–Peucker: drop the points that lie within `tolerance` of the line their neighbours draw."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = 0, 0.0
        for index in range(first + 1, last):
            gap = _distance_to_segment(points[index], points[first], points[last])
            if gap > distance:
                farthest, distance = index, gap
        if distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _distance_to_segment(point: Point, start: Point, end: Point) -> float:
    dx, dy = end[0] - start[0], end[1] - start[1]
    if dx == dy == 0:
        return math.dist(point, start)
    t = max(0.0, min(1.0, ((point[0] - start[0]) * dx + (point[1] - start[1]) * dy) / (dx * dx + dy * dy)))
    return math.dist(point, (start[0] + t * dx, start[1] + t * dy))


def ring_area(ring: Sequence[Point]) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, [*ring[1:], ring[0]], strict=True))) / 2


def ring_centre(ring: Sequence[Point]) -> Point:
    """The centroid of a ring's area: where a country's name goes."""
    twice_area = cx = cy = 0.0
    for a, b in zip(ring, [*ring[1:], ring[0]], strict=True):
        cross = a[0] * b[1] - b[0] * a[1]
        twice_area += cross
        cx += (a[0] + b[0]) * cross
        cy += (a[1] + b[1]) * cross
    if twice_area == 0:
        return ring[0]
    return (cx / (3 * twice_area), cy / (3 * twice_area))


def path_data(rings: Iterable[Sequence[Point]]) -> str:
    """SVG path data for rings of whole-unit points, in relative moves to keep it short."""
    parts = []
    for ring in rings:
        start = ring[0]
        steps = [f"M{start[0]:g} {start[1]:g}"]
        previous = start
        for point in ring[1:]:
            steps.append(f"l{point[0] - previous[0]:g} {point[1] - previous[1]:g}")
            previous = point
        parts.append("".join(steps).replace(" -", "-") + "z")
    return "".join(parts)
