//! Grid clustering of pins, hierarchical across zoom levels.
//!
//! At integer zoom `z` the world is cut into square cells of [`CELL_PX`] screen pixels, aligned
//! to the world origin, so every cell at `z` is exactly four cells at `z + 1`. Level `z` is built
//! by merging level `z + 1`, which makes clusters split cleanly as you zoom in and conserves
//! counts at every level. Building is O(n) for the finest level plus the cluster counts above.

use std::collections::HashMap;

use super::{World, WorldBounds};

/// Cell side in screen pixels.
pub const CELL_PX: f64 = 80.0;
/// Coarsest and finest levels kept.
pub const MIN_LEVEL: i32 = 6;
pub const MAX_LEVEL: i32 = 19;

/// A cluster of one or more points. `first` is the index of one member (for single pins).
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    pub level: i32,
    pub cell: (i64, i64),
    /// Mean position of the members.
    pub world: World,
    pub count: u32,
    pub first: usize,
    /// Members per category index (see [`ClusterIndex::new`]).
    pub per_kind: Vec<u32>,
}

impl Cluster {
    /// A stable key for keyed rendering.
    pub fn key(&self) -> (i32, i64, i64) {
        (self.level, self.cell.0, self.cell.1)
    }
}

#[derive(Clone, Debug, Default)]
pub struct ClusterIndex {
    /// Per level (index = level - MIN_LEVEL), sorted by x for range queries.
    levels: Vec<Vec<Cluster>>,
    len: usize,
}

fn cell_size(level: i32) -> f64 {
    CELL_PX / f64::from(level).exp2()
}

/// Accumulates a cluster's centroid while merging.
struct Acc {
    sx: f64,
    sy: f64,
    count: u32,
    first: usize,
    per_kind: Vec<u32>,
}

impl ClusterIndex {
    /// `points` are (position, kind index < kinds).
    pub fn new(points: &[(World, usize)], kinds: usize) -> ClusterIndex {
        let mut levels = vec![Vec::new(); (MAX_LEVEL - MIN_LEVEL + 1) as usize];
        // Finest level from the points.
        let size = cell_size(MAX_LEVEL);
        let mut cells: HashMap<(i64, i64), Acc> = HashMap::with_capacity(points.len());
        for (i, &(w, kind)) in points.iter().enumerate() {
            let cell = ((w.x / size).floor() as i64, (w.y / size).floor() as i64);
            let acc = cells.entry(cell).or_insert_with(|| Acc {
                sx: 0.0,
                sy: 0.0,
                count: 0,
                first: i,
                per_kind: vec![0; kinds],
            });
            acc.sx += w.x;
            acc.sy += w.y;
            acc.count += 1;
            if kind < kinds {
                acc.per_kind[kind] += 1;
            }
        }
        let mut level = MAX_LEVEL;
        loop {
            let mut clusters: Vec<Cluster> = cells
                .iter()
                .map(|(&cell, a)| Cluster {
                    level,
                    cell,
                    world: World {
                        x: a.sx / f64::from(a.count),
                        y: a.sy / f64::from(a.count),
                    },
                    count: a.count,
                    first: a.first,
                    per_kind: a.per_kind.clone(),
                })
                .collect();
            clusters.sort_by(|a, b| a.world.x.total_cmp(&b.world.x));
            levels[(level - MIN_LEVEL) as usize] = clusters;
            if level == MIN_LEVEL {
                break;
            }
            // Merge 2x2 cells into their parent.
            let mut parents: HashMap<(i64, i64), Acc> = HashMap::with_capacity(cells.len() / 2);
            for (cell, a) in cells {
                let parent = (cell.0.div_euclid(2), cell.1.div_euclid(2));
                let p = parents.entry(parent).or_insert_with(|| Acc {
                    sx: 0.0,
                    sy: 0.0,
                    count: 0,
                    first: a.first,
                    per_kind: vec![0; kinds],
                });
                p.sx += a.sx;
                p.sy += a.sy;
                p.count += a.count;
                p.first = p.first.min(a.first);
                for (k, n) in a.per_kind.iter().enumerate() {
                    p.per_kind[k] += n;
                }
            }
            cells = parents;
            level -= 1;
        }
        ClusterIndex {
            levels,
            len: points.len(),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The level used at a fractional zoom.
    pub fn level_for(zoom: f64) -> i32 {
        (zoom.floor() as i32).clamp(MIN_LEVEL, MAX_LEVEL)
    }

    /// All clusters of a level.
    pub fn level(&self, level: i32) -> &[Cluster] {
        self.levels
            .get((level.clamp(MIN_LEVEL, MAX_LEVEL) - MIN_LEVEL) as usize)
            .map_or(&[], Vec::as_slice)
    }

    /// Clusters of the level for `zoom` whose position lies in `bounds` (grown by `margin`).
    pub fn query(&self, zoom: f64, bounds: WorldBounds, margin: f64) -> &[Cluster] {
        let clusters = self.level(Self::level_for(zoom));
        let lo = clusters.partition_point(|c| c.world.x < bounds.min.x - margin);
        let hi = clusters.partition_point(|c| c.world.x <= bounds.max.x + margin);
        &clusters[lo..hi.max(lo)]
    }

    /// The zoom at which the cluster containing `cluster` falls apart into smaller ones.
    pub fn expansion_zoom(&self, cluster: &Cluster) -> i32 {
        let mut level = cluster.level;
        while level < MAX_LEVEL {
            level += 1;
            let shift = level - cluster.level;
            let inside = self
                .level(level)
                .iter()
                .filter(|c| (c.cell.0 >> shift, c.cell.1 >> shift) == cluster.cell)
                .count();
            if inside > 1 {
                return level;
            }
        }
        MAX_LEVEL
    }
}
