//! Where pins concentrate: density clustering (DBSCAN) in metres.
//!
//! A pin is a *core* pin when at least `min_pins` pins (itself included) lie within
//! `radius_m` of it; core pins within `radius_m` of each other belong to the same hotspot, and
//! so do the pins within `radius_m` of a core pin. Pins in no hotspot are left out. Unlike a
//! fixed grid, a cluster that straddles a cell edge stays whole, and the shape of a hotspot
//! follows the pins (a street, a square). The price: a continuous band of pins chains into one
//! hotspot, so `radius_m` should stay near the size of a place (default 100 m).
//!
//! Neighbours are found through a grid of `radius_m` cells, so the work grows with the number
//! of pins times their local density, not with its square.

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

/// Cluster ids per point (`None`: not in a hotspot).
pub fn dbscan(xy: &[(f64, f64)], radius: f64, min_pins: usize) -> Vec<Option<usize>> {
    let cell = |(x, y): (f64, f64)| ((x / radius).floor() as i64, (y / radius).floor() as i64);
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (i, p) in xy.iter().enumerate() {
        grid.entry(cell(*p)).or_default().push(i);
    }
    let r2 = radius * radius;
    let neighbours = |i: usize, out: &mut Vec<usize>| {
        out.clear();
        let (cx, cy) = cell(xy[i]);
        for dx in -1..=1 {
            for dy in -1..=1 {
                if let Some(ids) = grid.get(&(cx + dx, cy + dy)) {
                    out.extend(ids.iter().copied().filter(|&j| {
                        let (a, b) = (xy[i], xy[j]);
                        (a.0 - b.0).powi(2) + (a.1 - b.1).powi(2) <= r2
                    }));
                }
            }
        }
    };
    let mut label: Vec<Option<usize>> = vec![None; xy.len()];
    let mut visited = vec![false; xy.len()];
    let mut next = 0;
    let (mut around, mut queue) = (Vec::new(), Vec::new());
    for start in 0..xy.len() {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        neighbours(start, &mut around);
        if around.len() < min_pins {
            continue; // noise, unless a core pin reaches it later
        }
        let id = next;
        next += 1;
        label[start] = Some(id);
        queue.clear();
        queue.extend_from_slice(&around);
        while let Some(j) = queue.pop() {
            if label[j].is_none() {
                label[j] = Some(id);
            }
            if visited[j] {
                continue;
            }
            visited[j] = true;
            neighbours(j, &mut around);
            if around.len() >= min_pins {
                queue.extend(
                    around
                        .iter()
                        .copied()
                        .filter(|&k| label[k].is_none() || !visited[k]),
                );
            }
        }
    }
    label
}

/// The hotspots among `points`, largest first (ties: more agrees first).
pub fn find(points: &[HotPoint], params: Params) -> Vec<Hotspot> {
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
    let mut spots: Vec<Hotspot> = members
        .iter()
        .filter(|m| !m.is_empty())
        .map(|m| summarise(points, &xy, m))
        .collect();
    spots.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.agree_total.cmp(&a.agree_total))
            .then(a.lat.total_cmp(&b.lat))
            .then(a.lon.total_cmp(&b.lon))
    });
    spots.truncate(params.limit);
    for (i, s) in spots.iter_mut().enumerate() {
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
    }
}
