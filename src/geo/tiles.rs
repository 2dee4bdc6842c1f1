//! Which raster tiles cover a view, where they go on screen, and which loaded ancestor stands in
//! for a tile that has not arrived yet (so zooming never shows holes).

use std::collections::HashSet;

use super::mercator::TileId;
use super::viewport::Viewport;
use super::World;

/// A tile (or a stand-in ancestor) at a screen position and size in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    pub id: TileId,
    pub x: f64,
    pub y: f64,
    pub size: f64,
}

/// The tile level for a fractional zoom.
pub fn tile_zoom(zoom: f64, max_zoom: u8) -> u8 {
    zoom.round().clamp(0.0, f64::from(max_zoom)) as u8
}

pub fn place(view: &Viewport, id: TileId) -> Placed {
    let origin = view.to_screen(id.origin());
    Placed {
        id,
        x: origin.x,
        y: origin.y,
        size: id.world_size() * view.scale(),
    }
}

/// The tiles at level `z` that cover the view, row by row.
pub fn covering(view: &Viewport, z: u8) -> Vec<TileId> {
    let b = view.visible_bounds();
    let n = 1u32 << z;
    let a = TileId::containing(b.min, z);
    let c = TileId::containing(
        World {
            x: b.max.x - 1e-12,
            y: b.max.y - 1e-12,
        },
        z,
    );
    let mut out = Vec::new();
    for y in a.y..=c.y.min(n - 1) {
        for x in a.x..=c.x.min(n - 1) {
            out.push(TileId { z, x, y });
        }
    }
    out
}

/// Loaded ancestors (up to `levels` up) that stand in for the tiles in `wanted` not loaded yet.
pub fn stand_ins(wanted: &[TileId], loaded: &HashSet<TileId>, levels: u8) -> Vec<TileId> {
    let mut out: Vec<TileId> = Vec::new();
    for t in wanted.iter().filter(|t| !loaded.contains(t)) {
        let mut up = t.parent();
        for _ in 0..levels {
            match up {
                Some(p) if loaded.contains(&p) => {
                    if !out.contains(&p) {
                        out.push(p);
                    }
                    break;
                }
                Some(p) => up = p.parent(),
                None => break,
            }
        }
    }
    out.sort();
    out
}
