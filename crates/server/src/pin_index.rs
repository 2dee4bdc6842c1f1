//! The public pins as a tile index, for `GET /api/pins/tiles/{z}/{x}/{y}` (the format is
//! `trygghetskarta_shared::tile`).
//!
//! Pure: points in (grid cells, never exact positions), tiles out. Pins are grouped by public grid
//! cell into *places* (about 50 m apart, so a kommun holds at most a few hundred thousand however
//! many pins there are), and the places are sorted by the Morton code of their position on a
//! grid three times finer than 2^30 world units. A cluster cell at map zoom `L` is then every
//! place whose code shares a prefix, i.e. one contiguous run of the sorted list: a tile is
//! 144 binary searches and one pass over its places, and the zoom at which a cluster splits is
//! where the codes of its first and last place part.

use trygghetskarta_shared::tile::{
    GridCell, PinTile, TileCluster, TilePlace, CELLS, MAX_TILE_ZOOM, MIN_TILE_ZOOM, ZOOM_OFFSET,
};
use trygghetskarta_shared::{Category, PinStatus, TimeOfDay};

/// World positions are kept in 2^30 units a side (16 units a screen pixel at zoom 18).
const WORLD_BITS: u32 = 30;

/// One visible pin: its public grid cell and codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Point {
    pub cell: GridCell,
    pub category: Category,
    pub time_of_day: TimeOfDay,
    pub status: PinStatus,
}

impl Point {
    /// From a stored pin's exact position and codes; `None` for a code this release does not know.
    pub fn new(
        lat: f64,
        lon: f64,
        category: &str,
        time_of_day: &str,
        status: &str,
    ) -> Option<Point> {
        Some(Point {
            cell: GridCell::of(lat, lon),
            category: Category::parse(category)?,
            time_of_day: TimeOfDay::parse(time_of_day)?,
            status: PinStatus::parse(status)?,
        })
    }
}

/// The pins at one grid cell.
#[derive(Clone, Debug)]
struct Place {
    /// Morton code of `(u, v)`, three times the world position: cluster cells are prefixes.
    code: u64,
    cell: GridCell,
    count: u32,
    per_category: [u32; 6],
    /// The pin's, when `count == 1`.
    time_of_day: TimeOfDay,
    status: PinStatus,
}

/// Spreads the bits of `v` to the even bits of a `u64`.
fn spread(v: u32) -> u64 {
    let mut x = u64::from(v);
    x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF;
    x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF;
    x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F;
    x = (x | (x << 2)) & 0x3333_3333_3333_3333;
    (x | (x << 1)) & 0x5555_5555_5555_5555
}

/// Morton code: `u` on the even bits, `v` on the odd.
fn morton(u: u32, v: u32) -> u64 {
    spread(u) | (spread(v) << 1)
}

fn unspread(x: u64) -> u32 {
    let mut x = x & 0x5555_5555_5555_5555;
    x = (x | (x >> 1)) & 0x3333_3333_3333_3333;
    x = (x | (x >> 2)) & 0x0F0F_0F0F_0F0F_0F0F;
    x = (x | (x >> 4)) & 0x00FF_00FF_00FF_00FF;
    x = (x | (x >> 8)) & 0x0000_FFFF_0000_FFFF;
    ((x | (x >> 16)) & 0x0000_0000_FFFF_FFFF) as u32
}

/// A position's `(u, v)`: Web Mercator in 2^30 units a side, times three (so a cell of a third
/// of a tile is a power of two).
fn uv(lat: f64, lon: f64) -> (u32, u32) {
    let side = f64::from(1u32 << WORLD_BITS);
    let lat = lat.clamp(-85.051_128, 85.051_128).to_radians();
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    let fixed = |t: f64| ((t * side).floor().clamp(0.0, side - 1.0) as u32) * 3;
    (fixed(x), fixed(y))
}

fn dominant(per_category: &[u32; 6]) -> Category {
    let mut best = 0;
    for (i, n) in per_category.iter().enumerate() {
        if *n > per_category[best] {
            best = i;
        }
    }
    Category::ALL[best]
}

/// Why a tile address is not served.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadTile {
    Zoom,
    Column,
    Row,
}

/// The index: places sorted by code.
#[derive(Clone, Debug, Default)]
pub struct PinIndex {
    places: Vec<Place>,
    pins: u64,
}

fn category_slot(c: Category) -> usize {
    Category::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

/// A grid cell's sort code.
fn code_of(cell: GridCell) -> u64 {
    let (lat, lon) = cell.centre();
    let (u, v) = uv(lat, lon);
    morton(u, v)
}

impl PinIndex {
    pub fn build(mut points: Vec<Point>) -> PinIndex {
        points.sort_unstable_by_key(|p| p.cell);
        let pins = points.len() as u64;
        let mut places: Vec<Place> = points
            .chunk_by(|a, b| a.cell == b.cell)
            .map(|group| {
                let mut per_category = [0u32; 6];
                for p in group {
                    per_category[category_slot(p.category)] += 1;
                }
                let first = group[0];
                Place {
                    code: code_of(first.cell),
                    cell: first.cell,
                    count: group.len() as u32,
                    per_category,
                    time_of_day: first.time_of_day,
                    status: first.status,
                }
            })
            .collect();
        places.sort_unstable_by_key(|p| p.code);
        PinIndex { places, pins }
    }

    /// This index with `points` added: the tiles are those of [`PinIndex::build`] over all the
    /// points, for the cost of sorting the new points and one merge pass over the places
    /// instead of reading and sorting every pin again (a new pin at a million pins:
    /// milliseconds instead of seconds).
    pub fn with_added(&self, points: &[Point]) -> PinIndex {
        let extra = PinIndex::build(points.to_vec());
        let mut places: Vec<Place> = Vec::with_capacity(self.places.len() + extra.places.len());
        let (mut old, mut new) = (
            self.places.iter().peekable(),
            extra.places.into_iter().peekable(),
        );
        loop {
            match (old.peek(), new.peek()) {
                (Some(a), Some(b)) if a.code == b.code => {
                    let mut place = Place::clone(a);
                    place.count += b.count;
                    for (x, y) in place.per_category.iter_mut().zip(b.per_category) {
                        *x += y;
                    }
                    places.push(place);
                    old.next();
                    new.next();
                }
                (Some(a), Some(b)) if a.code < b.code => {
                    places.push(old.next().cloned().expect("peeked"))
                }
                (_, Some(_)) => places.extend(new.next()),
                (Some(_), None) => places.push(old.next().cloned().expect("peeked")),
                (None, None) => break,
            }
        }
        PinIndex {
            places,
            pins: self.pins + extra.pins,
        }
    }

    /// Pins in the index.
    pub fn pins(&self) -> u64 {
        self.pins
    }

    /// Distinct public positions.
    pub fn places(&self) -> usize {
        self.places.len()
    }

    /// Bytes the index holds.
    pub fn heap_bytes(&self) -> usize {
        self.places.capacity() * std::mem::size_of::<Place>()
    }

    /// Checks a tile address.
    pub fn check(z: u8, x: u32, y: u32) -> Result<(), BadTile> {
        if !(MIN_TILE_ZOOM..=MAX_TILE_ZOOM).contains(&z) {
            return Err(BadTile::Zoom);
        }
        let n = 1u32 << z;
        if x >= n {
            return Err(BadTile::Column);
        }
        if y >= n {
            return Err(BadTile::Row);
        }
        Ok(())
    }

    /// The tiles at zoom `z` that hold pins, as `(x, y)`.
    pub fn tiles_at(&self, z: u8) -> Vec<(u32, u32)> {
        let shift = WORLD_BITS - u32::from(z);
        let mut out: Vec<(u32, u32)> = self
            .places
            .iter()
            .map(|p| {
                let (u, v) = (unspread(p.code), unspread(p.code >> 1));
                ((u / 3) >> shift, (v / 3) >> shift)
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The markers of tile `z/x/y` (checked with [`PinIndex::check`]).
    pub fn tile(&self, z: u8, x: u32, y: u32) -> PinTile {
        let level = u32::from(z + ZOOM_OFFSET);
        // A cell is `1 << shift` units of (u, v) a side.
        let shift = WORLD_BITS - level;
        let mask = (1u32 << shift) - 1;
        let mut tile = PinTile::default();
        for cy in 0..CELLS {
            for cx in 0..CELLS {
                let (gx, gy) = (x * CELLS + cx, y * CELLS + cy);
                let (u0, v0) = (gx << shift, gy << shift);
                let lo_code = morton(u0, v0);
                let hi_code = morton(u0 | mask, v0 | mask);
                let lo = self.places.partition_point(|p| p.code < lo_code);
                let hi = lo + self.places[lo..].partition_point(|p| p.code <= hi_code);
                let members = &self.places[lo..hi];
                match members {
                    [] => {}
                    [p] => tile.places.push(TilePlace {
                        cell: p.cell,
                        count: p.count,
                        category: dominant(&p.per_category),
                        time_of_day: if p.count == 1 {
                            p.time_of_day
                        } else {
                            TimeOfDay::ALL[0]
                        },
                        status: if p.count == 1 {
                            p.status
                        } else {
                            PinStatus::ALL[0]
                        },
                    }),
                    [first, .., last] => {
                        let mut per_category = [0u32; 6];
                        let (mut count, mut su, mut sv) = (0u64, 0.0f64, 0.0f64);
                        for p in members {
                            for (a, b) in per_category.iter_mut().zip(p.per_category) {
                                *a = a.saturating_add(b);
                            }
                            count += u64::from(p.count);
                            su += f64::from(unspread(p.code)) * f64::from(p.count);
                            sv += f64::from(unspread(p.code >> 1)) * f64::from(p.count);
                        }
                        let n = count as f64;
                        let within = |s: f64, origin: u32| {
                            ((s / n - f64::from(origin)) / f64::from(1u32 << shift) * 256.0)
                                .floor()
                                .clamp(0.0, 255.0) as u8
                        };
                        // The deepest cell holding both ends holds all between: they part one
                        // level below it.
                        let common = (first.code ^ last.code).leading_zeros();
                        tile.clusters.push(TileCluster {
                            cell: (cy * CELLS + cx) as u8,
                            x: within(su, u0),
                            y: within(sv, v0),
                            count: u32::try_from(count).unwrap_or(u32::MAX),
                            category: dominant(&per_category),
                            split_zoom: split_zoom(common),
                        });
                    }
                }
            }
        }
        tile.places.sort_unstable_by_key(|p| p.cell);
        tile
    }
}

/// The map zoom at which two places whose codes share `common` leading bits fall into different
/// cells. Both coordinates agree in their top `common / 2` bits of 32, so they share a cell of
/// `1 << (32 - common / 2)` units and part in the next smaller one: map zoom
/// `WORLD_BITS - (32 - common / 2 - 1)`.
fn split_zoom(common: u32) -> u8 {
    (WORLD_BITS + 1 + common / 2).saturating_sub(32) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(lat: f64, lon: f64, category: Category) -> Point {
        Point {
            cell: GridCell::of(lat, lon),
            category,
            time_of_day: TimeOfDay::Night,
            status: PinStatus::Received,
        }
    }

    #[test]
    fn adding_pins_to_an_index_gives_the_tiles_of_building_it_with_them() {
        // Pins over Arboga, some at the same places as others, some at new ones.
        let all: Vec<Point> = (0..600u32)
            .map(|i| {
                let (a, b) = (f64::from(i % 37), f64::from((i * 7) % 53));
                let category = Category::ALL[(i % 6) as usize];
                let mut p = point(59.37 + a * 0.0011, 15.80 + b * 0.0017, category);
                p.time_of_day = TimeOfDay::ALL[(i % 4) as usize];
                p
            })
            .collect();
        let whole = PinIndex::build(all.clone());
        let (first, rest) = all.split_at(450);
        let grown = PinIndex::build(first.to_vec()).with_added(rest);
        assert_eq!(
            (grown.pins(), grown.places()),
            (whole.pins(), whole.places())
        );
        assert!(
            whole.places() > PinIndex::build(first.to_vec()).places(),
            "new places too"
        );
        for z in MIN_TILE_ZOOM..=MAX_TILE_ZOOM {
            assert_eq!(grown.tiles_at(z), whole.tiles_at(z), "zoom {z}");
            for (x, y) in whole.tiles_at(z) {
                assert_eq!(grown.tile(z, x, y), whole.tile(z, x, y), "tile {z}/{x}/{y}");
            }
        }
        // Added to an empty index, one by one.
        let mut one_by_one = PinIndex::default();
        for p in &all {
            one_by_one = one_by_one.with_added(std::slice::from_ref(p));
        }
        let z = MAX_TILE_ZOOM;
        for (x, y) in whole.tiles_at(z) {
            assert_eq!(one_by_one.tile(z, x, y), whole.tile(z, x, y));
        }
    }

    #[test]
    fn morton_codes_interleave_and_come_apart() {
        assert_eq!(morton(0b11, 0), 0b0101);
        assert_eq!(morton(0, 0b11), 0b1010);
        for (u, v) in [(0, 0), (u32::MAX, 7), (123_456_789, 3 << 30)] {
            let c = morton(u, v);
            assert_eq!((unspread(c), unspread(c >> 1)), (u, v));
        }
    }

    #[test]
    fn two_places_split_where_their_cells_part() {
        // Two places 100 m apart in Arboga: one marker at low zooms, two from some zoom on,
        // and the cluster's `split_zoom` is that zoom.
        let index = PinIndex::build(vec![
            point(59.3950, 15.8380, Category::Traffic),
            point(59.3950, 15.8398, Category::Drugs),
            point(59.3950, 15.8398, Category::Drugs),
        ]);
        assert_eq!((index.places(), index.pins()), (2, 3));
        let mut said = None;
        let mut parted = None;
        for z in MIN_TILE_ZOOM..=MAX_TILE_ZOOM {
            let tiles: Vec<PinTile> = index
                .tiles_at(z)
                .iter()
                .map(|&(x, y)| index.tile(z, x, y))
                .collect();
            assert_eq!(tiles.iter().map(PinTile::pins).sum::<u64>(), 3, "zoom {z}");
            match tiles.iter().map(PinTile::len).sum::<usize>() {
                1 => {
                    assert_eq!(parted, None, "once apart, always apart");
                    let c = &tiles
                        .iter()
                        .find(|t| !t.clusters.is_empty())
                        .unwrap()
                        .clusters[0];
                    assert_eq!(c.count, 3);
                    assert_eq!(c.category, Category::Drugs, "the most frequent");
                    said = Some(c.split_zoom);
                }
                2 => {
                    parted.get_or_insert(z + ZOOM_OFFSET);
                    let places = tiles.iter().flat_map(|t| &t.places);
                    let counts: Vec<u32> = places.map(|p| p.count).collect();
                    assert_eq!(counts.iter().sum::<u32>(), 3);
                }
                n => panic!("{n} markers at zoom {z}"),
            }
        }
        assert!(said.is_some() && parted.is_some());
        assert_eq!(said, parted, "the cluster said where it splits");
    }
}
