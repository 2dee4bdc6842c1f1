#!/usr/bin/env python3
"""Combine the bundled Arboga geodata (geodata/*.geojson) into the one file the widget loads:
public/basemap/arboga.geojson.

Every feature gets a `layer` property the widget styles by: kommun, neighbour, tatort, lake,
river, canal, rail, place. Properties are cut to what the map shows. Coordinates are kept as
they are (5 decimals, about 1 m; Wikipedia's points, given to 7, are rounded to 5). Then it writes
public/basemap/arboga.tkb, the compact form of the same file that the widget downloads
(`cargo run --example compact_basemap`). Run it again after changing geodata/; native tests
check that both files are in sync with their sources.
"""
import json
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC = ROOT / "geodata"
OUT = ROOT / "public" / "basemap" / "arboga.geojson"


def load(name):
    return json.loads((SRC / name).read_text(encoding="utf-8"))["features"]


def feature(layer, geometry, **props):
    props = {k: v for k, v in props.items() if v is not None}
    return {"type": "Feature", "properties": {"layer": layer, **props}, "geometry": geometry}


def main():
    out = []
    for f in load("kommuner_context.geojson"):
        p = f["properties"]
        if p["kommunkod"] != "1984":
            out.append(feature("neighbour", f["geometry"], name=p["kommunnamn"]))
    for f in load("sjoar_naturalearth.geojson"):
        out.append(feature("lake", f["geometry"], name=f["properties"]["name"]))
    for f in load("tatorter_context.geojson"):
        p = f["properties"]
        out.append(feature("tatort", f["geometry"], name=p["name"], population=p["befolkning"],
                           in_kommun=bool(p["in_arboga_kommun"])))
    for f in load("arboga_kommun.geojson"):
        out.append(feature("kommun", f["geometry"], name=f["properties"]["kommunnamn"]))
    for f in load("vattendrag_1milj.geojson"):
        p = f["properties"]
        layer = "canal" if p["kategori"] == "Kanal" else "river"
        out.append(feature(layer, f["geometry"], name=p.get("namn_harlett"),
                           size=int(p["kategori"][-1]) if p["kategori"][-1].isdigit() else None))
    for f in load("jarnvag_1milj.geojson"):
        out.append(feature("rail", f["geometry"]))
    # Place names: map text for towns, castles and the lake; rank 1 shows from the widest zoom.
    ranks = {"Tätort, 10000-49999": 1, "Tätort, 2000-9999 inv": 2, "Tätort, 200-1999 inv": 3,
             "Vattenyta, storleksklass 3": 2, "Slott": 4, "Kyrka": 4}
    kinds = {"Vattenyta, storleksklass 3": "water", "Slott": "castle", "Kyrka": "church"}
    for f in load("platser_1milj.geojson"):
        p = f["properties"]
        if p["layer"] == "tx_riks" and p["kategori"] in ranks:
            out.append(feature("place", f["geometry"], name=p["full_name"],
                               kind=kinds.get(p["kategori"], "town"), rank=ranks[p["kategori"]]))
    # In-town points (CC BY-SA 4.0, attributed in the map's credits). The locality point is left
    # out: the Lantmäteriet label already names Arboga.
    names = {"railway_station": "Arboga station", "church": None}
    for f in load("platser_wikipedia.geojson"):
        p = f["properties"]
        if p["kind"] == "locality":
            continue
        name = names.get(p["kind"]) or p["name"].split(" (")[0]
        point = {"type": "Point", "coordinates": [round(c, 5) for c in f["geometry"]["coordinates"]]}
        out.append(feature("place", point, name=name, kind=p["kind"].replace("railway_", ""),
                           rank=5, licence="CC-BY-SA-4.0"))
    collection = {
        "type": "FeatureCollection",
        "attribution": "© Lantmäteriet (CC0) · Natural Earth · Platser: Wikipedia, CC BY-SA 4.0",
        "features": out,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(out)} features, {OUT.stat().st_size} bytes")
    subprocess.run(["cargo", "run", "-q", "--example", "compact_basemap"], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
