//! Loads the pin tiles the map's layout needs (`geo::pin_tiles::wanted`: what it shows first,
//! then a margin twice the markers', `TILE_MARGIN`) as the map moves, and again when the pins
//! change; the pin layer draws them.

use std::sync::Arc;

use leptos::prelude::*;

use crate::api::{self, ApiBase};
use crate::geo::mercator::TileId;
use crate::geo::pin_tiles::{covering, level_for, wanted, TileSet, TILE_MARGIN};
use crate::geo::viewport::Viewport;

/// The tiles for `layout`, loaded again for each new `version` (shown as they were until then).
pub fn load_tiles(layout: RwSignal<Option<Viewport>>, version: Signal<u32>) -> RwSignal<TileSet> {
    let base = expect_context::<ApiBase>();
    let tiles = RwSignal::new(TileSet::default());
    // Tiles asked for and not answered yet, with the version asked for.
    let asking = StoredValue::new(Vec::<(TileId, u32)>::new());
    Effect::new(move |_| {
        let v = version.get();
        let Some(l) = layout.get() else { return };
        if tiles.with_untracked(TileSet::version) != v {
            tiles.update(|t| t.set_version(v));
        }
        let level = level_for(l.zoom);
        let margin = l.width.max(l.height) * TILE_MARGIN / l.scale();
        let want = wanted(l.visible_bounds(), margin, level);
        let shown = covering(l.visible_bounds(), level);
        tiles.update_untracked(|t| t.trim(&want));
        for id in want {
            let asked = asking.with_value(|a| a.contains(&(id, v)));
            if asked || !tiles.with_untracked(|t| t.needs(id)) {
                continue;
            }
            asking.update_value(|a| a.push((id, v)));
            let base = base.clone();
            let ask = move || {
                leptos::task::spawn_local(async move {
                    let got = api::pin_tile(&base, id).await;
                    asking.update_value(|a| a.retain(|x| *x != (id, v)));
                    tiles.update(|t| match got {
                        Ok(tile) => t.insert(id, Arc::new(tile), v),
                        // Shown empty, asked for again with the next view.
                        Err(_) => t.failed(id),
                    });
                })
            };
            // Tiles the view shows are asked for at once. The margin's are asked for in a task of
            // their own, not in the frame that lays the map out again (a request costs ~1-2 ms
            // of script on a 4x throttled CPU).
            if shown.contains(&id) {
                ask();
            } else {
                set_timeout(ask, std::time::Duration::ZERO);
            }
        }
    });
    tiles
}
