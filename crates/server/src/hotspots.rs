//! Where pins concentrate: density clustering (DBSCAN) in metres.
//!
//! A pin is a *core* pin when at least `min_pins` pins (itself included) lie within
//! `radius_m` of it; core pins within `radius_m` of each other belong to the same hotspot, and
//! so do the pins within `radius_m` of a core pin. Pins in no hotspot are left out. Unlike a
//! fixed grid, a cluster that straddles a cell edge stays whole, and the shape of a hotspot
//! follows the pins (a street, a square). The price: a continuous band of pins chains into one
//! hotspot, so `radius_m` should stay near the size of a place (default 100 m).
//!
//! Neighbours are found through a grid (see [`dbscan`]), so the work grows with the number of
//! pins, not with its square, and dense places are not slower than sparse ones.

use std::collections::HashMap;

use geo::{ConvexHull, MultiPoint, Point};
use trygghetskarta_shared::staff::{Count, Hotspot, NearestPlace};
use trygghetskarta_shared::{Category, TimeOfDay};

use crate::metres::{from_xy, to_xy};
use crate::places;

/// What the clustering needs of a pin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HotPoint {
    pub lat: f64,
    pub lon: f64,
    pub category: Category,
    pub time_of_day: TimeOfDay,
    pub agree_count: u32,
}

impl HotPoint {
    /// From a stored pin's codes (an unknown code counts as "other" / "all day").
    pub fn from_codes(
        lat: f64,
        lon: f64,
        category: &str,
        time_of_day: &str,
        agrees: i64,
    ) -> HotPoint {
        HotPoint {
            lat,
            lon,
            category: Category::parse(category).unwrap_or(Category::Other),
            time_of_day: TimeOfDay::parse(time_of_day).unwrap_or(TimeOfDay::AllDay),
            agree_count: u32::try_from(agrees).unwrap_or(0),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    pub radius_m: f64,
    pub min_pins: usize,
    /// At most this many hotspots, the largest.
    pub limit: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            radius_m: 100.0,
            min_pins: 3,
            limit: 20,
        }
    }
}

pub const RADIUS_RANGE: std::ops::RangeInclusive<f64> = 20.0..=2000.0;
pub const MIN_PINS_RANGE: std::ops::RangeInclusive<usize> = 2..=10_000;
pub const LIMIT_RANGE: std::ops::RangeInclusive<usize> = 1..=200;

/// Offsets of the cells that can hold a pin within `radius` of a pin in the centre cell, for
/// cells of side `radius / √2`: the 5 × 5 block without its corners.
const NEAR: [(i64, i64); 21] = [
    (0, 0),
    (-1, 0),
    (1, 0),
    (0, -1),
    (0, 1),
    (-1, -1),
    (-1, 1),
    (1, -1),
    (1, 1),
    (-2, -1),
    (-2, 0),
    (-2, 1),
    (2, -1),
    (2, 0),
    (2, 1),
    (-1, -2),
    (0, -2),
    (1, -2),
    (-1, 2),
    (0, 2),
    (1, 2),
];

fn find_root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Cluster ids per point (`None`: not in a hotspot), numbered in the order of the points.
///
/// Grid DBSCAN: with cells of side `radius / √2` any two pins in one cell are neighbours, so a
/// cell holding `min_pins` pins makes them all core pins without a distance check, core cells
/// are joined when one pair of their core pins is close enough, and counting stops at
/// `min_pins`. Dense places therefore cost about as much as sparse ones.
pub fn dbscan(xy: &[(f64, f64)], radius: f64, min_pins: usize) -> Vec<Option<usize>> {
    let side = radius / std::f64::consts::SQRT_2;
    let r2 = radius * radius;
    let cell_of = |(x, y): (f64, f64)| ((x / side).floor() as i64, (y / side).floor() as i64);
    let close = |i: usize, j: usize| {
        let (a, b) = (xy[i], xy[j]);
        (a.0 - b.0).powi(2) + (a.1 - b.1).powi(2) <= r2
    };
    // Cells in order of their first pin, so the result never depends on hash order.
    let mut index: HashMap<(i64, i64), usize> = HashMap::new();
    let mut cells: Vec<((i64, i64), Vec<usize>)> = Vec::new();
    for (i, p) in xy.iter().enumerate() {
        let key = cell_of(*p);
        let c = *index.entry(key).or_insert_with(|| {
            cells.push((key, Vec::new()));
            cells.len() - 1
        });
        cells[c].1.push(i);
    }
    let (index, cells) = (&index, &cells);
    let near_cells = move |c: usize| {
        let (cx, cy) = cells[c].0;
        NEAR.iter()
            .filter_map(move |(dx, dy)| index.get(&(cx + dx, cy + dy)).copied())
    };

    // 1. Core pins.
    let mut core = vec![false; xy.len()];
    for (c, (_, ids)) in cells.iter().enumerate() {
        if ids.len() >= min_pins {
            ids.iter().for_each(|&i| core[i] = true);
            continue;
        }
        for &i in ids {
            let mut count = 0;
            'count: for d in near_cells(c) {
                for &j in &cells[d].1 {
                    if close(i, j) {
                        count += 1;
                        if count >= min_pins {
                            core[i] = true;
                            break 'count;
                        }
                    }
                }
            }
        }
    }

    // 2. Join cells whose core pins reach each other.
    let mut parent: Vec<usize> = (0..cells.len()).collect();
    let core_ids: Vec<Vec<usize>> = cells
        .iter()
        .map(|(_, ids)| ids.iter().copied().filter(|&i| core[i]).collect())
        .collect();
    for a in 0..cells.len() {
        if core_ids[a].is_empty() {
            continue;
        }
        for b in near_cells(a) {
            if b <= a || core_ids[b].is_empty() {
                continue;
            }
            let (ra, rb) = (find_root(&mut parent, a), find_root(&mut parent, b));
            if ra == rb {
                continue;
            }
            let joined = core_ids[a]
                .iter()
                .any(|&i| core_ids[b].iter().any(|&j| close(i, j)));
            if joined {
                parent[rb] = ra;
            }
        }
    }

    // 3. Labels: core pins take their cell's cluster; other pins the cluster of a core pin
    //    within reach, if any.
    let mut cluster_of_root: HashMap<usize, usize> = HashMap::new();
    let mut label = vec![None; xy.len()];
    let mut cell_of_pin = vec![0; xy.len()];
    for (c, (_, ids)) in cells.iter().enumerate() {
        ids.iter().for_each(|&i| cell_of_pin[i] = c);
    }
    for i in 0..xy.len() {
        let c = cell_of_pin[i];
        let owner = if core[i] {
            Some(c)
        } else {
            near_cells(c).find(|&d| core_ids[d].iter().any(|&j| close(i, j)))
        };
        if let Some(d) = owner {
            let root = find_root(&mut parent, d);
            let next = cluster_of_root.len();
            label[i] = Some(*cluster_of_root.entry(root).or_insert(next));
        }
    }
    label
}

/// The hotspots among `points`, largest first (ties: more agrees first).
pub fn find(points: &[HotPoint], params: Params) -> Vec<Hotspot> {
    find_with_members(points, params)
        .into_iter()
        .map(|(spot, _)| spot)
        .collect()
}

/// [`find`], with the indices into `points` of each hotspot's pins.
pub fn find_with_members(points: &[HotPoint], params: Params) -> Vec<(Hotspot, Vec<usize>)> {
    let xy: Vec<(f64, f64)> = points.iter().map(|p| to_xy(p.lat, p.lon)).collect();
    let labels = dbscan(&xy, params.radius_m, params.min_pins);
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        if let Some(id) = *l {
            if members.len() <= id {
                members.resize(id + 1, Vec::new());
            }
            members[id].push(i);
        }
    }
    let mut spots: Vec<(Hotspot, Vec<usize>)> = members
        .into_iter()
        .filter(|m| !m.is_empty())
        .map(|m| (summarise(points, &xy, &m), m))
        .collect();
    spots.sort_by(|(a, _), (b, _)| {
        b.count
            .cmp(&a.count)
            .then(b.agree_total.cmp(&a.agree_total))
            .then(a.lat.total_cmp(&b.lat))
            .then(a.lon.total_cmp(&b.lon))
    });
    spots.truncate(params.limit);
    for (i, (s, _)) in spots.iter_mut().enumerate() {
        s.rank = i as u32 + 1;
    }
    spots
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

fn summarise(points: &[HotPoint], xy: &[(f64, f64)], ids: &[usize]) -> Hotspot {
    let n = ids.len() as f64;
    let cx = ids.iter().map(|&i| xy[i].0).sum::<f64>() / n;
    let cy = ids.iter().map(|&i| xy[i].1).sum::<f64>() / n;
    let (lat, lon) = from_xy(cx, cy);
    let radius_m = ids
        .iter()
        .map(|&i| (xy[i].0 - cx).hypot(xy[i].1 - cy))
        .fold(0.0, f64::max);
    let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for &i in ids {
        let p = &points[i];
        bbox = [
            bbox[0].min(p.lon),
            bbox[1].min(p.lat),
            bbox[2].max(p.lon),
            bbox[3].max(p.lat),
        ];
    }
    let hull = MultiPoint::new(
        ids.iter()
            .map(|&i| Point::new(points[i].lon, points[i].lat))
            .collect(),
    )
    .convex_hull();
    let outline = hull
        .exterior()
        .coords()
        .map(|c| [round6(c.x), round6(c.y)])
        .collect();
    let by_category = Category::ALL
        .into_iter()
        .map(|key| Count {
            key,
            count: ids.iter().filter(|&&i| points[i].category == key).count() as u32,
        })
        .filter(|c| c.count > 0)
        .collect();
    let by_time_of_day = TimeOfDay::ALL
        .into_iter()
        .map(|key| Count {
            key,
            count: ids
                .iter()
                .filter(|&&i| points[i].time_of_day == key)
                .count() as u32,
        })
        .filter(|c| c.count > 0)
        .collect();
    Hotspot {
        rank: 0,
        count: ids.len() as u32,
        lat: round6(lat),
        lon: round6(lon),
        bbox,
        radius_m: radius_m.round(),
        outline,
        by_category,
        by_time_of_day,
        agree_total: ids.iter().map(|&i| points[i].agree_count).sum(),
        nearest_place: places::nearest_place(lat, lon).map(|(name, d)| NearestPlace {
            name: name.to_owned(),
            distance_m: d.round(),
        }),
        area: places::area_at(lat, lon).map(str::to_owned),
        pins: Vec::new(),
        place_name: crate::named::describe(lat, lon, &[]),
    }
}
