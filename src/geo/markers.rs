//! What the pin layer draws, from either source: the server's pin tiles (residents, see
//! [`super::pin_tiles`]) or a list clustered on the device (staff, [`super::cluster`]).

use trygghetskarta_shared::tile::GridCell;
use trygghetskarta_shared::{Category, PinStatus, TimeOfDay};

use super::cluster::ClusterIndex;
use super::{World, WorldBounds};

/// The level in the key of a marker that is one place: the same at every zoom, so its button is
/// kept (and only moved) while zooming.
pub const PLACE_LEVEL: i32 = -1;

/// Stays the same while a marker shows the same thing, so the keyed DOM list keeps its button;
/// `content` changes with what it shows (count, category, state).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MarkerKey {
    pub level: i32,
    pub a: i64,
    pub b: i64,
    pub content: u64,
}

/// What choosing a marker does.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum What {
    /// One pin of the listed pins (its index): its card.
    Listed(usize),
    /// One pin at a public grid cell (from a tile): its card, asked for by the cell.
    Pin {
        cell: GridCell,
        time_of_day: TimeOfDay,
        status: PinStatus,
    },
    /// Several pins at one grid cell, which zooming cannot split: the card of the first.
    Place { cell: GridCell },
    /// Several pins: zoom in to `split_zoom` (`None`: the listed pins' index knows).
    Cluster { split_zoom: Option<i32> },
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Marker {
    pub key: MarkerKey,
    pub world: World,
    pub count: u32,
    /// The pin's category, or the most frequent.
    pub category: Category,
    pub what: What,
}

impl Marker {
    /// The marker's `data-key` (level and cell, or the place), by which the layer's one click
    /// handler finds it.
    pub fn dom_key(&self) -> String {
        let k = self.key;
        format!("{}:{}:{}", k.level, k.a, k.b)
    }

    /// Whether it lies within `bounds` grown by `margin` (world units).
    pub fn within(&self, bounds: &WorldBounds, margin: f64) -> bool {
        bounds.grown(margin).contains(self.world)
    }
}

/// The markers `new` (indices into `list`) in the steps a relayout writes them in, one step a
/// frame: first every marker within `reach` of `view` (what the view shows), with the nearest
/// others up to `per_step`; then the rest, nearest first, `per_step` a step. After a pan the new
/// markers lie in the margin (the layout is redone before the view leaves it), so they can be
/// written over the next frames instead of all in the one that lays out again.
pub fn paced(
    list: &[Marker],
    new: &[usize],
    view: &WorldBounds,
    reach: f64,
    per_step: usize,
) -> Vec<Vec<usize>> {
    let away = |i: usize| view.distance_outside(list[i].world);
    let mut order = new.to_vec();
    order.sort_by(|&a, &b| away(a).total_cmp(&away(b)));
    let per_step = per_step.max(1);
    let shown_now = order.iter().take_while(|&&i| away(i) <= reach).count();
    let first = shown_now.max(per_step).min(order.len());
    let rest = order.split_off(first);
    std::iter::once(order)
        .filter(|o| !o.is_empty())
        .chain(rest.chunks(per_step).map(<[usize]>::to_vec))
        .collect()
}

/// The markers of a listed set at `zoom` within `bounds` and `margin`. `category` gives a kind
/// index's category; `version` tells one list from the next (a new list makes new buttons).
pub fn listed(
    index: &ClusterIndex,
    version: u64,
    zoom: f64,
    bounds: WorldBounds,
    margin: f64,
) -> Vec<Marker> {
    index
        .query(zoom, bounds, margin)
        .iter()
        .map(|c| {
            let dominant = c
                .per_kind
                .iter()
                .enumerate()
                .max_by_key(|(_, n)| **n)
                .map_or(0, |(i, _)| i);
            // A single pin keeps its key (and so its marker) across levels; a cluster is its
            // level and cell.
            let (key, what) = if c.count == 1 {
                let key = MarkerKey {
                    level: PLACE_LEVEL,
                    a: c.first as i64,
                    b: 0,
                    content: version,
                };
                (key, What::Listed(c.first))
            } else {
                let key = MarkerKey {
                    level: c.level,
                    a: c.cell.0,
                    b: c.cell.1,
                    content: version,
                };
                (key, What::Cluster { split_zoom: None })
            };
            Marker {
                key,
                world: c.world,
                count: c.count,
                category: Category::ALL
                    .get(dominant)
                    .copied()
                    .unwrap_or(Category::Other),
                what,
            }
        })
        .filter(|m| m.within(&bounds, margin))
        .collect()
}
