//! The bundled Arboga basemap: GeoJSON in, SVG path data out.
//!
//! The widget downloads it as a compact file of the same features (`public/basemap/arboga.tkb`,
//! [`Basemap::from_compact`]): the GeoJSON is 11.4 KB with Brotli, the compact file 8.5 KB, and
//! its reader is a few hundred bytes of code where GeoJSON needs serde's readers for it
//! (docs/PERFORMANCE.md). `arboga.geojson` stays the source, the file people open in QGIS, and
//! what the tests compare with: `cargo run --example compact_basemap` writes the compact file
//! from it (`scripts/build-basemap.py` runs it).
//!
//! Paths are computed once, in a fixed "reference" pixel frame (world pixels at zoom
//! [`REF_ZOOM`], relative to the data's top-left corner). Panning and zooming then only change
//! one SVG `transform`, and `vector-effect: non-scaling-stroke` keeps lines crisp and equally
//! thick at every zoom.

use std::fmt::Write;

use serde::Deserialize;

use super::mercator::{project, scale};
use super::viewport::Viewport;
use super::{fixed, LonLat, World, WorldBounds};

/// Zoom level of the reference frame. At 14 one unit is about 5 m in Arboga, and one decimal in
/// the path data keeps the source's 1 m precision.
pub const REF_ZOOM: f64 = 14.0;

/// The basemap's layers, in drawing order (first is drawn first, i.e. at the bottom).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    Neighbour,
    Kommun,
    Lake,
    Tatort,
    River,
    Canal,
    Rail,
}

impl Layer {
    fn parse(s: &str) -> Option<Layer> {
        Some(match s {
            "neighbour" => Layer::Neighbour,
            "kommun" => Layer::Kommun,
            "lake" => Layer::Lake,
            "tatort" => Layer::Tatort,
            "river" => Layer::River,
            "canal" => Layer::Canal,
            "rail" => Layer::Rail,
            _ => return None,
        })
    }

    /// CSS class of the layer's paths.
    pub fn class(self) -> &'static str {
        match self {
            Layer::Neighbour => "tk-neighbour",
            Layer::Kommun => "tk-kommun",
            Layer::Lake => "tk-lake",
            Layer::Tatort => "tk-tatort",
            Layer::River => "tk-river",
            Layer::Canal => "tk-canal",
            Layer::Rail => "tk-rail",
        }
    }
}

/// One drawable feature.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    pub layer: Layer,
    pub name: Option<String>,
    /// SVG path data in the reference frame.
    pub path: String,
}

/// What a named place is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceKind {
    Town,
    Water,
    Castle,
    Church,
    Station,
}

/// A named point: a map label, and a choice in the "report without the map" list.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub name: String,
    pub kind: PlaceKind,
    /// 1 is shown from the widest zoom, 5 only close in.
    pub rank: u8,
    pub position: LonLat,
    pub world: World,
}

impl Place {
    /// The smallest zoom at which the label is shown.
    pub fn min_zoom(&self) -> f64 {
        8.0 + f64::from(self.rank) * 1.25
    }
}

/// A named area (tätort or kommun) with its bounding box.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    pub name: String,
    pub layer: Layer,
    pub in_kommun: bool,
    pub bounds: WorldBounds,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Basemap {
    /// Sorted in drawing order.
    pub shapes: Vec<Shape>,
    pub places: Vec<Place>,
    pub areas: Vec<Area>,
    /// Credits the data requires, shown on the map.
    pub attribution: String,
    /// Top-left of the reference frame.
    pub origin: World,
    /// The kommun's rings in world coordinates, for "is this place in the kommun?".
    pub kommun_rings: Vec<Vec<World>>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct BasemapError(pub String);

impl std::error::Error for BasemapError {}

impl std::fmt::Display for BasemapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "basemap: {}", self.0)
    }
}

#[derive(Deserialize)]
struct FeatureCollection {
    features: Vec<Feature>,
    #[serde(default)]
    attribution: String,
}

#[derive(Deserialize)]
struct Feature {
    properties: Props,
    geometry: Geometry,
}

#[derive(Deserialize)]
struct Props {
    layer: String,
    name: Option<String>,
    kind: Option<String>,
    rank: Option<u8>,
    #[serde(default)]
    in_kommun: bool,
}

type Ring = Vec<[f64; 2]>;

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometry {
    Point([f64; 2]),
    LineString(Ring),
    MultiLineString(Vec<Ring>),
    Polygon(Vec<Ring>),
    MultiPolygon(Vec<Vec<Ring>>),
}

impl Geometry {
    /// Every line/ring with whether it is closed.
    fn parts(&self) -> Vec<(&Ring, bool)> {
        match self {
            Geometry::Point(_) => vec![],
            Geometry::LineString(l) => vec![(l, false)],
            Geometry::MultiLineString(ls) => ls.iter().map(|l| (l, false)).collect(),
            Geometry::Polygon(rings) => rings.iter().map(|r| (r, true)).collect(),
            Geometry::MultiPolygon(polys) => polys.iter().flatten().map(|r| (r, true)).collect(),
        }
    }
}

/// The compact file of a GeoJSON basemap, for [`Basemap::from_compact`]
/// (`cargo run --example compact_basemap`).
pub fn compact_from_geojson(text: &str) -> Result<Vec<u8>, BasemapError> {
    compact::write(&geojson(text)?)
}

fn world_of(c: &[f64; 2]) -> World {
    project(LonLat::lon_lat(c[0], c[1]))
}

fn geojson(text: &str) -> Result<FeatureCollection, BasemapError> {
    serde_json::from_str(text).map_err(|e| {
        // Line and column only: the parser's own message would put serde_json's error printer
        // into a bundle.
        BasemapError(format!(
            "not GeoJSON (line {}, column {})",
            e.line(),
            e.column()
        ))
    })
}

impl Basemap {
    pub fn from_geojson(text: &str) -> Result<Basemap, BasemapError> {
        Basemap::build(geojson(text)?)
    }

    /// From the compact file [`compact_from_geojson`] writes: the same basemap as from the
    /// GeoJSON it was made from.
    pub fn from_compact(bytes: &[u8]) -> Result<Basemap, BasemapError> {
        Basemap::build(compact::read(bytes)?)
    }

    fn build(fc: FeatureCollection) -> Result<Basemap, BasemapError> {
        // The reference frame starts at the top-left of all the data.
        let mut min = World {
            x: f64::INFINITY,
            y: f64::INFINITY,
        };
        for f in &fc.features {
            for (ring, _) in f.geometry.parts() {
                for c in ring {
                    let w = world_of(c);
                    min.x = min.x.min(w.x);
                    min.y = min.y.min(w.y);
                }
            }
        }
        if !min.x.is_finite() {
            return Err(BasemapError("no line or area features".into()));
        }
        let k = scale(REF_ZOOM);

        let mut shapes = Vec::new();
        let mut places = Vec::new();
        let mut kommun_rings = Vec::new();
        let mut areas = Vec::new();
        for f in fc.features {
            let p = f.properties;
            if p.layer == "place" {
                let Geometry::Point(c) = f.geometry else {
                    return Err(BasemapError("a place must be a Point".into()));
                };
                let kind = match p.kind.as_deref() {
                    Some("water") => PlaceKind::Water,
                    Some("castle") => PlaceKind::Castle,
                    Some("church") => PlaceKind::Church,
                    Some("station") => PlaceKind::Station,
                    _ => PlaceKind::Town,
                };
                places.push(Place {
                    name: p.name.unwrap_or_default(),
                    kind,
                    rank: p.rank.unwrap_or(3),
                    position: LonLat::lon_lat(c[0], c[1]),
                    world: world_of(&c),
                });
                continue;
            }
            let layer = Layer::parse(&p.layer)
                .ok_or_else(|| BasemapError(format!("unknown layer {:?}", p.layer)))?;
            let mut path = String::new();
            let mut bmin = World {
                x: f64::INFINITY,
                y: f64::INFINITY,
            };
            let mut bmax = World {
                x: f64::NEG_INFINITY,
                y: f64::NEG_INFINITY,
            };
            for (ring, closed) in f.geometry.parts() {
                if layer == Layer::Kommun {
                    kommun_rings.push(ring.iter().map(world_of).collect());
                }
                for (i, c) in ring.iter().enumerate() {
                    let w = world_of(c);
                    bmin.x = bmin.x.min(w.x);
                    bmin.y = bmin.y.min(w.y);
                    bmax.x = bmax.x.max(w.x);
                    bmax.y = bmax.y.max(w.y);
                    let cmd = if i == 0 { 'M' } else { 'L' };
                    let _ = write!(
                        path,
                        "{cmd}{} {}",
                        fixed((w.x - min.x) * k, 1),
                        fixed((w.y - min.y) * k, 1)
                    );
                }
                if closed {
                    path.push('Z');
                }
            }
            if matches!(layer, Layer::Tatort | Layer::Kommun) {
                if let Some(name) = &p.name {
                    areas.push(Area {
                        name: name.clone(),
                        layer,
                        in_kommun: p.in_kommun || layer == Layer::Kommun,
                        bounds: WorldBounds {
                            min: bmin,
                            max: bmax,
                        },
                    });
                }
            }
            shapes.push(Shape {
                layer,
                name: p.name,
                path,
            });
        }
        shapes.sort_by_key(|s| s.layer);
        places.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.name.cmp(&b.name)));
        Ok(Basemap {
            shapes,
            places,
            areas,
            attribution: fc.attribution,
            origin: min,
            kommun_rings,
        })
    }

    /// Whether a point lies in the kommun (even-odd rule over all rings, so lakes cut out as
    /// holes stay out).
    pub fn in_kommun(&self, p: World) -> bool {
        let mut inside = false;
        for ring in &self.kommun_rings {
            for (a, b) in ring.iter().zip(ring.iter().cycle().skip(1)) {
                if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x
                {
                    inside = !inside;
                }
            }
        }
        inside
    }

    /// The SVG `transform` that draws the reference frame in `view`.
    pub fn transform(&self, view: &Viewport) -> String {
        let k = scale(view.zoom - REF_ZOOM);
        let top_left = view.to_screen(self.origin);
        format!(
            "translate({} {}) scale({})",
            fixed(top_left.x, 2),
            fixed(top_left.y, 2),
            fixed(k, 6)
        )
    }

    /// A named area, e.g. the Arboga tätort.
    pub fn area(&self, name: &str, layer: Layer) -> Option<&Area> {
        self.areas
            .iter()
            .find(|a| a.layer == layer && a.name == name)
    }

    /// Places whose labels belong in `view`: inside it (with a margin) and ranked for its zoom.
    pub fn visible_places<'a>(&'a self, view: &'a Viewport) -> impl Iterator<Item = &'a Place> {
        let b = view.visible_bounds();
        let margin = 40.0 / view.scale();
        self.places.iter().filter(move |p| {
            view.zoom >= p.min_zoom()
                && p.world.x >= b.min.x - margin
                && p.world.x <= b.max.x + margin
                && p.world.y >= b.min.y - margin
                && p.world.y <= b.max.y + margin
        })
    }
}

/// The compact basemap file: the GeoJSON's features in their order, each position in whole
/// 1e-5 degrees (the GeoJSON's five decimals, so a position reads back as the same `f64`) as the
/// difference from the position before it, in zigzag LEB128 varints.
///
/// ```text
/// file     = "TKB1" string(attribution) varint(features) feature*
/// feature  = string(layer) option(name) option(kind) u8(rank + 1, or 0) u8(in_kommun)
///            u8(0 Point | 1 LineString | 2 MultiLineString | 3 Polygon | 4 MultiPolygon)
///            position | line | varint(lines) line* | varint(polygons) (varint(lines) line*)*
/// line     = varint(positions) position*
/// position = zigzag(lon units − previous lon units) zigzag(lat units − previous lat units)
/// string   = varint(bytes) UTF-8;   option = varint(0) | varint(bytes + 1) UTF-8
/// ```
mod compact {
    use trygghetskarta_shared::varint::{self, unzigzag, zigzag, ReadError};

    use super::{BasemapError, Feature, FeatureCollection, Geometry, Props, Ring};

    const MAGIC: &[u8; 4] = b"TKB1";
    /// Units per degree.
    const UNITS: f64 = 1e5;

    fn error(what: &str) -> BasemapError {
        BasemapError(format!("compact file: {what}"))
    }

    struct Writer {
        out: Vec<u8>,
        previous: [i64; 2],
    }

    impl Writer {
        fn varint(&mut self, v: u64) {
            varint::push(&mut self.out, v);
        }

        fn bytes(&mut self, s: &str) {
            self.out.extend_from_slice(s.as_bytes());
        }

        fn string(&mut self, s: &str) {
            self.varint(s.len() as u64);
            self.bytes(s);
        }

        fn option(&mut self, s: Option<&str>) {
            match s {
                None => self.varint(0),
                Some(s) => {
                    self.varint(s.len() as u64 + 1);
                    self.bytes(s);
                }
            }
        }

        fn position(&mut self, c: &[f64; 2]) -> Result<(), BasemapError> {
            for (i, v) in c.iter().enumerate() {
                let units = (v * UNITS).round();
                if units / UNITS != *v || units.abs() > 1e15 {
                    return Err(error("a position has more than five decimals"));
                }
                let d = units as i64 - self.previous[i];
                self.previous[i] = units as i64;
                self.varint(zigzag(d));
            }
            Ok(())
        }

        /// `varint(items) item*`: a line's positions, a shape's lines, a multipolygon's shapes.
        fn list<T>(
            &mut self,
            items: &[T],
            mut item: impl FnMut(&mut Self, &T) -> Result<(), BasemapError>,
        ) -> Result<(), BasemapError> {
            self.varint(items.len() as u64);
            items.iter().try_for_each(|x| item(self, x))
        }

        fn line(&mut self, ring: &Ring) -> Result<(), BasemapError> {
            self.list(ring, Self::position)
        }

        fn lines(&mut self, rings: &[Ring]) -> Result<(), BasemapError> {
            self.list(rings, Self::line)
        }
    }

    pub(super) fn write(fc: &FeatureCollection) -> Result<Vec<u8>, BasemapError> {
        let mut w = Writer {
            out: MAGIC.to_vec(),
            previous: [0, 0],
        };
        w.string(&fc.attribution);
        w.varint(fc.features.len() as u64);
        for f in &fc.features {
            let p = &f.properties;
            w.string(&p.layer);
            w.option(p.name.as_deref());
            w.option(p.kind.as_deref());
            match p.rank {
                Some(r) if r < u8::MAX => w.out.push(r + 1),
                Some(_) => return Err(error("a rank above 254")),
                None => w.out.push(0),
            }
            w.out.push(u8::from(p.in_kommun));
            match &f.geometry {
                Geometry::Point(c) => {
                    w.out.push(0);
                    w.position(c)?;
                }
                Geometry::LineString(l) => {
                    w.out.push(1);
                    w.line(l)?;
                }
                Geometry::MultiLineString(ls) => {
                    w.out.push(2);
                    w.lines(ls)?;
                }
                Geometry::Polygon(rings) => {
                    w.out.push(3);
                    w.lines(rings)?;
                }
                Geometry::MultiPolygon(polys) => {
                    w.out.push(4);
                    w.list(polys, |w, rings| w.lines(rings))?;
                }
            }
        }
        Ok(w.out)
    }

    impl From<ReadError> for BasemapError {
        fn from(e: ReadError) -> BasemapError {
            match e {
                ReadError::Truncated => error("cut short"),
                ReadError::TooLong => error("a number too long"),
            }
        }
    }

    struct Reader<'a> {
        bytes: varint::Reader<'a>,
        previous: [i64; 2],
    }

    impl Reader<'_> {
        fn text(&mut self, len: usize) -> Result<String, BasemapError> {
            std::str::from_utf8(self.bytes.bytes(len)?)
                .map(str::to_owned)
                .map_err(|_| error("text that is not UTF-8"))
        }

        fn string(&mut self) -> Result<String, BasemapError> {
            let n = self.bytes.count()?;
            self.text(n)
        }

        fn option(&mut self) -> Result<Option<String>, BasemapError> {
            match self.bytes.count()? {
                0 => Ok(None),
                n => self.text(n - 1).map(Some),
            }
        }

        fn position(&mut self) -> Result<[f64; 2], BasemapError> {
            let mut c = [0.0; 2];
            for (i, v) in c.iter_mut().enumerate() {
                let d = unzigzag(self.bytes.varint()?);
                let units = self.previous[i]
                    .checked_add(d)
                    .filter(|u| u.unsigned_abs() <= 180 * 100_000)
                    .ok_or_else(|| error("a position off the globe"))?;
                self.previous[i] = units;
                *v = units as f64 / UNITS;
            }
            Ok(c)
        }

        /// `varint(items) item*`, as [`Writer::list`] writes it.
        fn list<T>(
            &mut self,
            item: fn(&mut Self) -> Result<T, BasemapError>,
        ) -> Result<Vec<T>, BasemapError> {
            let n = self.bytes.count()?;
            (0..n).map(|_| item(self)).collect()
        }

        fn line(&mut self) -> Result<Ring, BasemapError> {
            self.list(Self::position)
        }

        fn lines(&mut self) -> Result<Vec<Ring>, BasemapError> {
            self.list(Self::line)
        }
    }

    pub(super) fn read(bytes: &[u8]) -> Result<FeatureCollection, BasemapError> {
        let Some(rest) = bytes.strip_prefix(MAGIC) else {
            return Err(error("not a compact basemap"));
        };
        let mut r = Reader {
            bytes: varint::Reader::new(rest),
            previous: [0, 0],
        };
        let attribution = r.string()?;
        let n = r.bytes.count()?;
        let mut features = Vec::with_capacity(n);
        for _ in 0..n {
            let layer = r.string()?;
            let name = r.option()?;
            let kind = r.option()?;
            let rank = r.bytes.byte()?.checked_sub(1);
            let in_kommun = r.bytes.byte()? == 1;
            let geometry = match r.bytes.byte()? {
                0 => Geometry::Point(r.position()?),
                1 => Geometry::LineString(r.line()?),
                2 => Geometry::MultiLineString(r.lines()?),
                3 => Geometry::Polygon(r.lines()?),
                4 => Geometry::MultiPolygon(r.list(Reader::lines)?),
                _ => return Err(error("an unknown geometry")),
            };
            features.push(Feature {
                properties: Props {
                    layer,
                    name,
                    kind,
                    rank,
                    in_kommun,
                },
                geometry,
            });
        }
        if !r.bytes.at_end() {
            return Err(error("bytes after the last feature"));
        }
        Ok(FeatureCollection {
            features,
            attribution,
        })
    }
}
