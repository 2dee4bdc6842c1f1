//! Pin tiles (`GET /api/pins/tiles/{z}/{x}/{y}`): the public pins of one map tile, clustered,
//! in a compact binary format. The server encodes ([`encode`]), the widget decodes ([`decode`]);
//! docs/API.md describes the bytes.
//!
//! Tiles use the XYZ addressing of street tiles, but tile `z` holds the markers for map zoom
//! `z + ZOOM_OFFSET`: it is cut into [`CELLS`] × [`CELLS`] cells (85⅓ screen pixels at that zoom),
//! and the pins of one cell are one marker. A cell whose pins all lie at one public position is a
//! [`TilePlace`] (usually a single pin); a cell with pins at two or more positions is a
//! [`TileCluster`]. Every cell at zoom `z` is exactly four cells at `z + 1`, so clusters split
//! cleanly as the map zooms in, and a cluster never depends on which tiles a view asks for.

use crate::followup::PinStatus;
use crate::pin::{Category, TimeOfDay, GRID_LAT_DEG, GRID_LON_DEG};
use crate::varint::{self, unzigzag, zigzag, ReadError, Reader};

/// Tile `z` holds the markers for map zoom `z + ZOOM_OFFSET` (a tile is 1024 screen pixels wide
/// at that zoom).
pub const ZOOM_OFFSET: u8 = 2;
/// Cells per tile side.
pub const CELLS: u32 = 12;
/// Tile zooms served: map zooms 6 (the whole region) to 18 (the map's closest).
pub const MIN_TILE_ZOOM: u8 = 4;
pub const MAX_TILE_ZOOM: u8 = 16;
/// The first byte of every tile.
pub const FORMAT_VERSION: u8 = 1;

/// A cell of the public location grid (`pin::public_location`): pins are shown at its centre.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GridCell {
    pub row: i32,
    pub col: i32,
}

impl GridCell {
    /// The cell an exact position lies in.
    pub fn of(lat: f64, lon: f64) -> GridCell {
        GridCell {
            row: (lat / GRID_LAT_DEG).floor() as i32,
            col: (lon / GRID_LON_DEG).floor() as i32,
        }
    }

    /// Its centre, `(lat, lon)`: the public position of every pin in it.
    pub fn centre(self) -> (f64, f64) {
        let centre = |i: i32, step: f64| {
            let c = (f64::from(i) + 0.5) * step;
            // Six decimals (0.1 m) are plenty for a 50 m cell and keep the JSON short.
            (c * 1e6).round() / 1e6
        };
        (
            centre(self.row, GRID_LAT_DEG),
            centre(self.col, GRID_LON_DEG),
        )
    }

    /// A box `(min_lon, min_lat, max_lon, max_lat)` around the centre that holds no other
    /// cell's centre: `GET /api/pins?bbox=` with it answers the pins of this cell.
    pub fn bbox(self) -> (f64, f64, f64, f64) {
        let (lat, lon) = self.centre();
        let (dlat, dlon) = (GRID_LAT_DEG / 4.0, GRID_LON_DEG / 4.0);
        (lon - dlon, lat - dlat, lon + dlon, lat + dlat)
    }
}

/// Two or more pins at two or more public positions in one cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TileCluster {
    /// The cell in the tile, row by row: `cy * CELLS + cx`.
    pub cell: u8,
    /// The pins' mean position in the cell, in 1/256 of its side from its top-left corner.
    pub x: u8,
    pub y: u8,
    /// Pins (at least 2).
    pub count: u32,
    /// The most frequent category (a tie: the first in `Category::ALL`).
    pub category: Category,
    /// The map zoom at which its pins fall into more than one cell.
    pub split_zoom: u8,
}

/// Pins at one public position: a single pin (`count == 1`), or several reported at one place,
/// which zooming cannot split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TilePlace {
    pub cell: GridCell,
    pub count: u32,
    /// The pin's category (several: the most frequent).
    pub category: Category,
    /// A single pin's time of day and state (its marker's name and badge); `Day` and `Received`
    /// when `count > 1`.
    pub time_of_day: TimeOfDay,
    pub status: PinStatus,
}

/// One tile's markers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PinTile {
    /// Ordered by `cell`, each cell once.
    pub clusters: Vec<TileCluster>,
    /// Ordered by grid cell (row, then column), each once.
    pub places: Vec<TilePlace>,
}

impl PinTile {
    /// Pins in the tile.
    pub fn pins(&self) -> u64 {
        let c: u64 = self.clusters.iter().map(|c| u64::from(c.count)).sum();
        c + self.places.iter().map(|p| u64::from(p.count)).sum::<u64>()
    }

    /// Markers in the tile.
    pub fn len(&self) -> usize {
        self.clusters.len() + self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn code_of<T: Copy + PartialEq>(all: &[T], v: T) -> u8 {
    all.iter().position(|x| *x == v).unwrap_or(0) as u8
}

/// The bytes of a tile (format version 1), column by column so that a compressor finds the
/// repeats:
///
/// ```text
/// u8 version (1) · varint clusters · varint places
/// clusters: cell steps · x · y · count − 2 · category · split zoom   (one column each)
/// places:   zigzag min row · zigzag min column (when there are places)
///           row steps · columns · codes · count − 1                   (one column each)
/// ```
///
/// Varints are LEB128 (7 bits a byte, low first). A cluster's cell step is its cell minus the
/// previous cluster's cell minus 1 (the first: its cell). A place's row step is its row minus the
/// previous place's row (the first: minus the min row); its column is minus the previous
/// place's column minus 1 on the same row, else minus the min column. A code is
/// `category + 8 × time of day + 32 × state`, each the index in its `ALL` list; a cluster's
/// category byte is the index alone.
///
/// The tile must be in order (clusters by cell, places by grid cell, each once), counts at least
/// 2 for clusters and 1 for places: what the server's index makes.
pub fn encode(tile: &PinTile) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + tile.clusters.len() * 6 + tile.places.len() * 4);
    out.push(FORMAT_VERSION);
    varint::push(&mut out, tile.clusters.len() as u64);
    varint::push(&mut out, tile.places.len() as u64);

    let mut prev: Option<u8> = None;
    for c in &tile.clusters {
        let step = match prev {
            Some(p) => c.cell - p - 1,
            None => c.cell,
        };
        varint::push(&mut out, u64::from(step));
        prev = Some(c.cell);
    }
    out.extend(tile.clusters.iter().map(|c| c.x));
    out.extend(tile.clusters.iter().map(|c| c.y));
    for c in &tile.clusters {
        varint::push(&mut out, u64::from(c.count.saturating_sub(2)));
    }
    out.extend(
        tile.clusters
            .iter()
            .map(|c| code_of(&Category::ALL, c.category)),
    );
    out.extend(tile.clusters.iter().map(|c| c.split_zoom));

    if tile.places.is_empty() {
        return out;
    }
    let min_row = tile.places.iter().map(|p| p.cell.row).min().unwrap_or(0);
    let min_col = tile.places.iter().map(|p| p.cell.col).min().unwrap_or(0);
    varint::push(&mut out, zigzag(i64::from(min_row)));
    varint::push(&mut out, zigzag(i64::from(min_col)));
    let mut row = i64::from(min_row);
    for p in &tile.places {
        varint::push(&mut out, (i64::from(p.cell.row) - row) as u64);
        row = i64::from(p.cell.row);
    }
    let mut last: Option<GridCell> = None;
    for p in &tile.places {
        let v = match last {
            Some(l) if l.row == p.cell.row => i64::from(p.cell.col) - i64::from(l.col) - 1,
            _ => i64::from(p.cell.col) - i64::from(min_col),
        };
        varint::push(&mut out, v as u64);
        last = Some(p.cell);
    }
    out.extend(tile.places.iter().map(|p| {
        code_of(&Category::ALL, p.category)
            + 8 * code_of(&TimeOfDay::ALL, p.time_of_day)
            + 32 * code_of(PinStatus::ALL, p.status)
    }));
    for p in &tile.places {
        varint::push(&mut out, u64::from(p.count.saturating_sub(1)));
    }
    out
}

/// Why bytes are not a tile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TileError {
    /// Another format version (the widget and the server are from different releases).
    Version(u8),
    /// The bytes end early.
    Truncated,
    /// A value out of its range (a cell past the tile, an unknown code, a varint too long).
    Invalid(&'static str),
    /// Bytes after the end.
    Trailing,
}

impl std::fmt::Display for TileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TileError::Version(v) => write!(f, "pin tile format {v}, expected {FORMAT_VERSION}"),
            TileError::Truncated => f.write_str("pin tile ends early"),
            TileError::Invalid(what) => write!(f, "pin tile has a bad {what}"),
            TileError::Trailing => f.write_str("pin tile has bytes after its end"),
        }
    }
}

impl std::error::Error for TileError {}

impl From<ReadError> for TileError {
    fn from(e: ReadError) -> TileError {
        match e {
            ReadError::Truncated => TileError::Truncated,
            ReadError::TooLong => TileError::Invalid("varint"),
        }
    }
}

/// A count of at least `least`, written as its difference from it.
fn at_least(r: &mut Reader, least: u32) -> Result<u32, TileError> {
    u32::try_from(r.varint()?)
        .ok()
        .and_then(|v| v.checked_add(least))
        .ok_or(TileError::Invalid("count"))
}

/// A grid row or column, written as its (non-negative) difference from `base`.
fn grid(r: &mut Reader, base: i64) -> Result<i32, TileError> {
    i64::try_from(r.varint()?)
        .ok()
        .and_then(|v| v.checked_add(base))
        .and_then(|v| i32::try_from(v).ok())
        .ok_or(TileError::Invalid("grid cell"))
}

/// Reads a tile made by [`encode`].
pub fn decode(bytes: &[u8]) -> Result<PinTile, TileError> {
    let mut r = Reader::new(bytes);
    let version = r.byte()?;
    if version != FORMAT_VERSION {
        return Err(TileError::Version(version));
    }
    let n_clusters = r.count()?;
    let n_places = r.count()?;

    let mut cells = Vec::with_capacity(n_clusters);
    let mut next = 0u64;
    for _ in 0..n_clusters {
        let cell = next + r.varint()?;
        if cell >= u64::from(CELLS * CELLS) {
            return Err(TileError::Invalid("cluster cell"));
        }
        cells.push(cell as u8);
        next = cell + 1;
    }
    let xs = r.bytes(n_clusters)?.to_vec();
    let ys = r.bytes(n_clusters)?.to_vec();
    let mut counts = Vec::with_capacity(n_clusters);
    for _ in 0..n_clusters {
        counts.push(at_least(&mut r, 2)?);
    }
    let categories = r.bytes(n_clusters)?.to_vec();
    let splits = r.bytes(n_clusters)?.to_vec();
    let category = |code: u8| {
        Category::ALL
            .get(usize::from(code))
            .copied()
            .ok_or(TileError::Invalid("category"))
    };
    let clusters = (0..n_clusters)
        .map(|i| {
            Ok(TileCluster {
                cell: cells[i],
                x: xs[i],
                y: ys[i],
                count: counts[i],
                category: category(categories[i])?,
                split_zoom: splits[i],
            })
        })
        .collect::<Result<Vec<_>, TileError>>()?;

    let mut places = Vec::with_capacity(n_places);
    if n_places > 0 {
        let min_row = unzigzag(r.varint()?);
        let min_col = unzigzag(r.varint()?);
        let mut rows = Vec::with_capacity(n_places);
        let mut row = min_row;
        for _ in 0..n_places {
            let v = grid(&mut r, row)?;
            row = i64::from(v);
            rows.push(v);
        }
        let mut cols = Vec::with_capacity(n_places);
        for i in 0..n_places {
            let col = match (i.checked_sub(1).map(|j| (rows[j], cols[j])), rows[i]) {
                (Some((prev_row, prev_col)), row) if prev_row == row => {
                    grid(&mut r, i64::from(prev_col) + 1)?
                }
                _ => grid(&mut r, min_col)?,
            };
            cols.push(col);
        }
        let codes = r.bytes(n_places)?.to_vec();
        for i in 0..n_places {
            let code = codes[i];
            let time_of_day = *TimeOfDay::ALL
                .get(usize::from((code >> 3) & 3))
                .ok_or(TileError::Invalid("time of day"))?;
            let status = *PinStatus::ALL
                .get(usize::from(code >> 5))
                .ok_or(TileError::Invalid("state"))?;
            places.push(TilePlace {
                cell: GridCell {
                    row: rows[i],
                    col: cols[i],
                },
                count: at_least(&mut r, 1)?,
                category: category(code & 7)?,
                time_of_day,
                status,
            });
        }
    }
    if !r.at_end() {
        return Err(TileError::Trailing);
    }
    Ok(PinTile { clusters, places })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pin::public_location;

    fn sample() -> PinTile {
        PinTile {
            clusters: vec![
                TileCluster {
                    cell: 3,
                    x: 10,
                    y: 250,
                    count: 2,
                    category: Category::Drugs,
                    split_zoom: 15,
                },
                TileCluster {
                    cell: 143,
                    x: 128,
                    y: 0,
                    count: 70_000,
                    category: Category::Other,
                    split_zoom: 9,
                },
            ],
            places: vec![
                TilePlace {
                    cell: GridCell {
                        row: 131_990,
                        col: 17_600,
                    },
                    count: 1,
                    category: Category::Lighting,
                    time_of_day: TimeOfDay::Night,
                    status: PinStatus::NoAction,
                },
                TilePlace {
                    cell: GridCell {
                        row: 131_990,
                        col: 17_601,
                    },
                    count: 4,
                    category: Category::Traffic,
                    time_of_day: TimeOfDay::Day,
                    status: PinStatus::Received,
                },
                TilePlace {
                    cell: GridCell {
                        row: 131_993,
                        col: 17_598,
                    },
                    count: 1,
                    category: Category::Vandalism,
                    time_of_day: TimeOfDay::AllDay,
                    status: PinStatus::Done,
                },
            ],
        }
    }

    #[test]
    fn a_tile_comes_back_as_it_was_encoded() {
        let tile = sample();
        let bytes = encode(&tile);
        assert_eq!(decode(&bytes), Ok(tile.clone()));
        assert_eq!(tile.pins(), 70_008);
        assert_eq!(decode(&encode(&PinTile::default())), Ok(PinTile::default()));
        // Negative grid rows and columns (south and west) too.
        let south = PinTile {
            clusters: vec![],
            places: vec![TilePlace {
                cell: GridCell { row: -5, col: -900 },
                ..tile.places[0].clone()
            }],
        };
        assert_eq!(decode(&encode(&south)), Ok(south));
    }

    #[test]
    fn a_single_pin_costs_four_bytes_and_a_cluster_six() {
        let tile = sample();
        let one = |t: PinTile| encode(&t).len();
        let base = one(PinTile::default());
        let places = PinTile {
            clusters: vec![],
            places: tile.places[..1].to_vec(),
        };
        // Header, then the min row and column (3 bytes each here), then 4 bytes.
        assert_eq!(one(places) - base, 6 + 4);
        let clusters = PinTile {
            clusters: tile.clusters[..1].to_vec(),
            places: vec![],
        };
        assert_eq!(one(clusters) - base, 6);
    }

    #[test]
    fn broken_bytes_are_refused() {
        let bytes = encode(&sample());
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut more = bytes.clone();
        more.push(0);
        assert_eq!(decode(&more), Err(TileError::Trailing));
        let mut other = bytes.clone();
        other[0] = 2;
        assert_eq!(decode(&other), Err(TileError::Version(2)));
        // A cluster cell past the tile.
        let mut past = bytes.clone();
        past[3] = 200;
        assert_eq!(decode(&past), Err(TileError::Invalid("cluster cell")));
        // A count of a billion places in a short tile.
        assert_eq!(
            decode(&[1, 0, 0x80, 0x80, 0x80, 0x80, 0x04]),
            Err(TileError::Truncated)
        );
    }

    #[test]
    fn grid_cells_are_the_public_positions() {
        for (lat, lon) in [
            (59.396_812, 15.841_034),
            (59.0, 15.0),
            (-33.9, -70.6),
            (59.399_999_9, 15.899_999_9),
        ] {
            let cell = GridCell::of(lat, lon);
            assert_eq!(cell.centre(), public_location(lat, lon));
            let (min_lon, min_lat, max_lon, max_lat) = cell.bbox();
            let (clat, clon) = cell.centre();
            assert!(min_lon < clon && clon < max_lon && min_lat < clat && clat < max_lat);
            // The neighbours' centres are outside the box.
            let (nlat, nlon) = GridCell {
                row: cell.row + 1,
                col: cell.col + 1,
            }
            .centre();
            assert!(nlat > max_lat && nlon > max_lon);
        }
    }
}
