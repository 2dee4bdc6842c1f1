//! Pin tiles in the widget: which tiles a view asks for, decoding what the server sends, and
//! the loaded tiles merged into the markers a view shows (`geo::pin_tiles`, `geo::markers`).

use std::sync::Arc;

use trygghetskarta::geo::markers::{What, PLACE_LEVEL};
use trygghetskarta::geo::mercator::{project, unproject, TileId};
use trygghetskarta::geo::pin_tiles::{
    covering, level_for, tile_markers, tile_zoom, wanted, TileSet, MARKER_MARGIN, MAX_TILES,
    TILE_MARGIN,
};
use trygghetskarta::geo::viewport::Viewport;
use trygghetskarta::geo::{LonLat, World, WorldBounds};
use trygghetskarta_shared::tile::{
    decode, encode, GridCell, PinTile, TileCluster, TilePlace, CELLS,
};
use trygghetskarta_shared::{Category, PinStatus, TimeOfDay};

/// Arboga station, at the widget's opening zoom on a phone.
fn view(zoom: f64) -> Viewport {
    Viewport::new(LonLat::lat_lon(59.3950, 15.8380), zoom, 390.0, 500.0)
}

fn place(lat: f64, lon: f64, count: u32) -> TilePlace {
    TilePlace {
        cell: GridCell::of(lat, lon),
        count,
        category: Category::Lighting,
        time_of_day: if count == 1 {
            TimeOfDay::Evening
        } else {
            TimeOfDay::Day
        },
        status: if count == 1 {
            PinStatus::Investigating
        } else {
            PinStatus::Received
        },
    }
}

/// The tile of `level` holding a position, and that position's cell in it.
fn tile_at(lat: f64, lon: f64, level: i32) -> (TileId, u8) {
    let w = project(LonLat::lat_lon(lat, lon));
    let id = TileId::containing(w, tile_zoom(level));
    let cell_size = id.world_size() / f64::from(CELLS);
    let o = id.origin();
    let cx = ((w.x - o.x) / cell_size).floor() as u32;
    let cy = ((w.y - o.y) / cell_size).floor() as u32;
    (id, (cy * CELLS + cx) as u8)
}

#[test]
fn a_level_is_the_whole_zoom_and_its_tiles_are_two_zooms_up() {
    assert_eq!(level_for(13.7), 13);
    assert_eq!(tile_zoom(13), 11);
    // Beyond the tiles served, the nearest level.
    assert_eq!(level_for(3.0), 6);
    assert_eq!(level_for(19.5), 18);
}

#[test]
fn a_view_asks_for_what_it_shows_first_then_the_margin() {
    let v = view(14.2);
    let level = level_for(v.zoom);
    let shown = covering(v.visible_bounds(), level);
    assert!(!shown.is_empty() && shown.len() <= 4, "{shown:?}");
    let margin = v.width.max(v.height) / 3.0 / v.scale();
    let want = wanted(v.visible_bounds(), margin, level);
    assert_eq!(
        &want[..shown.len()]
            .iter()
            .copied()
            .collect::<std::collections::BTreeSet<_>>(),
        &shown.iter().copied().collect(),
        "the tiles shown come first"
    );
    let mut unique = want.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), want.len(), "each tile once");
    // Every tile a point in the margin lies in is asked for, and no tile farther out.
    let b = v.visible_bounds();
    for (dx, dy) in [(-0.99, 0.0), (0.99, 0.99), (0.0, -0.99)] {
        let w = World {
            x: b.center().x + dx * (b.width() / 2.0 + margin),
            y: b.center().y + dy * (b.height() / 2.0 + margin),
        };
        assert!(want.contains(&TileId::containing(w, tile_zoom(level))));
    }
    assert!(want.iter().all(|t| t.z == tile_zoom(level)));
    assert!(
        want.len() <= 9,
        "a phone's view is a few tiles: {}",
        want.len()
    );
}

#[test]
fn the_tiles_loaded_before_a_relayout_hold_every_marker_it_shows() {
    // A phone and a desktop window, at zooms across the tile levels.
    for (width, height) in [(390.0, 500.0), (1024.0, 800.0)] {
        for zoom in [11.0, 13.5, 15.2, 17.9] {
            let before = Viewport::new(LonLat::lat_lon(59.3950, 15.8380), zoom, width, height);
            let level = level_for(zoom);
            let longer = width.max(height) / before.scale();
            let loaded = wanted(before.visible_bounds(), longer * TILE_MARGIN, level);
            // The move that lays the map out again: a third of the screen and one more step of
            // a fast drag (12 px), in every direction.
            for (sx, sy) in [
                (1.0, 1.0),
                (-1.0, 1.0),
                (1.0, -1.0),
                (-1.0, -1.0),
                (1.0, 0.0),
            ] {
                let dx = sx * (width / 3.0 + 12.0);
                let dy = sy * (height / 3.0 + 12.0);
                let after = before.pan_by(dx, dy);
                assert!(after.needs_relayout(&before));
                let shown = after.visible_bounds().grown(longer * MARKER_MARGIN);
                for id in covering(shown, level) {
                    assert!(
                        loaded.contains(&id),
                        "{width}x{height} at {zoom}, pan ({sx}, {sy}): {id:?} not loaded"
                    );
                }
            }
        }
    }
}

#[test]
fn markers_wait_for_every_tile_the_view_shows() {
    let v = view(15.3);
    let level = level_for(v.zoom);
    let shown = covering(v.visible_bounds(), level);
    let mut set = TileSet::default();
    assert!(set.markers(level, v.visible_bounds(), 0.0).is_none());
    let (lat, lon) = (59.3950, 15.8380);
    let (id, _) = tile_at(lat, lon, level);
    for t in &shown {
        let tile = if *t == id {
            PinTile {
                clusters: vec![],
                places: vec![place(lat, lon, 1)],
            }
        } else {
            PinTile::default()
        };
        assert!(set.markers(level, v.visible_bounds(), 0.0).is_none());
        // Not shown until the last of them: the first screen waits for it (components::lists).
        assert!(!set.shows(level, v.visible_bounds()));
        set.insert(*t, Arc::new(tile), 0);
    }
    assert!(set.shows(level, v.visible_bounds()));
    let markers = set.markers(level, v.visible_bounds(), 0.0).unwrap();
    assert_eq!(markers.len(), 1);
    let m = markers[0];
    assert_eq!(m.count, 1);
    assert_eq!(
        m.what,
        What::Pin {
            cell: GridCell::of(lat, lon),
            time_of_day: TimeOfDay::Evening,
            status: PinStatus::Investigating
        }
    );
    // At the public position, the centre of its grid cell, not where it was reported.
    let (clat, clon) = GridCell::of(lat, lon).centre();
    assert_eq!(m.world, project(LonLat::lat_lon(clat, clon)));
    // A tile that failed does not hold the view up, and is asked for again.
    let mut failing = TileSet::default();
    for t in &shown {
        failing.failed(*t);
    }
    assert_eq!(
        failing
            .markers(level, v.visible_bounds(), 0.0)
            .map(|m| m.len()),
        Some(0)
    );
    assert!(shown.iter().all(|t| failing.needs(*t)));
}

/// A position at `(fx, fy)` of a tile's side from its top-left corner, as `(lat, lon)`.
fn inside(t: TileId, fx: f64, fy: f64) -> (f64, f64) {
    let p = unproject(World {
        x: t.origin().x + fx * t.world_size(),
        y: t.origin().y + fy * t.world_size(),
    });
    (p.lat, p.lon)
}

#[test]
fn decoded_tiles_merge_into_one_set_with_stable_keys() {
    let level = 14;
    let (id, _) = tile_at(59.3950, 15.8380, level);
    let right = TileId { x: id.x + 1, ..id };
    let (lat, lon) = inside(id, 0.3, 0.4);
    let (_, cell) = tile_at(lat, lon, level);
    let (glat, glon) = inside(id, 0.7, 0.2);
    let (slat, slon) = inside(right, 0.5, 0.5);
    let a = PinTile {
        clusters: vec![TileCluster {
            cell,
            x: 128,
            y: 64,
            count: 12,
            category: Category::Drugs,
            split_zoom: 16,
        }],
        places: vec![place(glat, glon, 3)],
    };
    let b = PinTile {
        clusters: vec![],
        places: vec![place(slat, slon, 1)],
    };
    // Through the wire format, as the server sends them.
    let a = decode(&encode(&a)).unwrap();
    let b = decode(&encode(&b)).unwrap();
    let mut set = TileSet::default();
    set.insert(id, Arc::new(a.clone()), 0);
    set.insert(right, Arc::new(b.clone()), 0);
    let both = WorldBounds {
        min: id.origin(),
        max: World {
            x: right.origin().x + right.world_size() - 1e-9,
            y: id.origin().y + id.world_size() - 1e-9,
        },
    };
    let markers = set.markers(level, both, 0.0).unwrap();
    assert_eq!(markers.len(), 3);
    assert_eq!(markers.iter().map(|m| m.count).sum::<u32>(), 16);
    let cluster = markers.iter().find(|m| m.count == 12).unwrap();
    assert_eq!(
        cluster.what,
        What::Cluster {
            split_zoom: Some(16)
        }
    );
    assert_eq!(cluster.category, Category::Drugs);
    // The cluster lies in its cell, at the given offset.
    let cell_size = id.world_size() / f64::from(CELLS);
    let there = project(LonLat::lat_lon(lat, lon));
    let corner = |v: f64, o: f64| o + ((v - o) / cell_size).floor() * cell_size;
    let expect_x = corner(there.x, id.origin().x) + 128.5 / 256.0 * cell_size;
    let expect_y = corner(there.y, id.origin().y) + 64.5 / 256.0 * cell_size;
    assert!((cluster.world.x - expect_x).abs() < 1e-9);
    assert!((cluster.world.y - expect_y).abs() < 1e-9);
    let group = markers.iter().find(|m| m.count == 3).unwrap();
    assert_eq!(
        group.what,
        What::Place {
            cell: GridCell::of(glat, glon)
        }
    );
    // A place's key is the same at every level (its button is kept while zooming); a cluster
    // is its level and cell in the world; what it shows is in the key too.
    let single = tile_markers(right, &b).next().unwrap();
    assert_eq!(single.key.level, PLACE_LEVEL);
    let deeper = TileId {
        z: id.z + 1,
        x: right.x * 2,
        y: right.y * 2,
    };
    assert_eq!(tile_markers(deeper, &b).next().unwrap().key, single.key);
    assert_eq!(cluster.key.level, level);
    let mut more = a.clone();
    more.clusters[0].count = 13;
    assert_ne!(
        tile_markers(id, &more).next().unwrap().key,
        cluster.key,
        "a new count makes a new button"
    );
    assert_eq!(tile_markers(id, &a).next().unwrap().key, cluster.key);
}

#[test]
fn a_new_version_reloads_tiles_and_shows_the_old_ones_meanwhile() {
    let level = 14;
    let (id, _) = tile_at(59.3950, 15.8380, level);
    let mut set = TileSet::default();
    assert!(set.needs(id));
    set.insert(id, Arc::new(PinTile::default()), 0);
    assert!(!set.needs(id));
    set.set_version(1);
    assert!(set.needs(id), "the pins changed");
    let half = id.world_size() / 2.0;
    let b = WorldBounds {
        min: id.origin(),
        max: World {
            x: id.origin().x + half,
            y: id.origin().y + half,
        },
    };
    assert_eq!(covering(b, level), vec![id]);
    assert!(
        set.markers(level, b, 0.0).is_some(),
        "the old tile is shown"
    );
    set.insert(id, Arc::new(PinTile::default()), 1);
    assert!(!set.needs(id));
    // Past the limit, tiles far from the view are let go.
    for x in 0..(MAX_TILES as u32 + 10) {
        set.insert(TileId { z: 11, x, y: 0 }, Arc::new(PinTile::default()), 1);
    }
    set.trim(&[id]);
    assert_eq!(set.len(), 1);
}

#[test]
fn a_cells_box_is_written_to_the_centimetre() {
    use trygghetskarta::api::degrees;
    assert_eq!(degrees(15.8434), "15.8434000");
    assert_eq!(degrees(-0.000_000_04), "0.0000000");
    assert_eq!(degrees(-70.6), "-70.6000000");
    assert_eq!(degrees(59.394_712_345_6), "59.3947123");
    // The box around a cell still holds its centre and no other.
    let cell = GridCell::of(59.3948, 15.8437);
    let (min_lon, min_lat, max_lon, max_lat) = cell.bbox();
    let (lat, lon) = cell.centre();
    let back = |v: f64| degrees(v).parse::<f64>().unwrap();
    assert!(back(min_lon) < lon && lon < back(max_lon));
    assert!(back(min_lat) < lat && lat < back(max_lat));
}
