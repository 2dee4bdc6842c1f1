//! Projection, tiles and the viewport.

use trygghetskarta::geo::mercator::{metres_per_pixel, project, unproject, TileId};
use trygghetskarta::geo::viewport::{Limits, Viewport};
use trygghetskarta::geo::{LonLat, Screen, WorldBounds};

const STATION: LonLat = LonLat::lat_lon(59.3968, 15.8410); // Arboga station

fn close(a: f64, b: f64, eps: f64) -> bool {
    (a - b).abs() <= eps
}

#[test]
fn projection_round_trips_across_the_kommun() {
    for (lon, lat) in [
        (15.40, 59.18),
        (16.20, 59.62),
        (15.8410, 59.3968),
        (0.0, 0.0),
        (-122.4, 37.8),
    ] {
        let back = unproject(project(LonLat::lon_lat(lon, lat)));
        assert!(
            close(back.lon, lon, 1e-9) && close(back.lat, lat, 1e-9),
            "{lon},{lat} -> {back:?}"
        );
    }
}

#[test]
fn the_station_is_in_the_known_slippy_map_tiles() {
    // Independently computed with the OpenStreetMap wiki formula.
    assert_eq!(
        TileId::at(STATION, 10),
        TileId {
            z: 10,
            x: 557,
            y: 300
        }
    );
    assert_eq!(
        TileId::at(STATION, 15),
        TileId {
            z: 15,
            x: 17825,
            y: 9624
        }
    );
    assert_eq!(
        TileId::at(STATION, 17),
        TileId {
            z: 17,
            x: 71303,
            y: 38498
        }
    );
    let t = TileId::at(STATION, 15);
    assert_eq!(
        t.parent(),
        Some(TileId {
            z: 14,
            x: 8912,
            y: 4812
        })
    );
    // The tile's box contains the station.
    let o = t.origin();
    let w = project(STATION);
    assert!(w.x >= o.x && w.x < o.x + t.world_size());
    assert!(w.y >= o.y && w.y < o.y + t.world_size());
}

#[test]
fn ground_resolution_matches_web_mercator() {
    // 156543.03 m/px at the equator at zoom 0; about 9.6 m/px at Arboga's latitude at zoom 13.
    assert!(close(metres_per_pixel(0.0, 0.0), 156_543.03, 0.01));
    assert!(close(metres_per_pixel(59.3968, 13.0), 9.72, 0.05));
}

#[test]
fn zooming_keeps_the_point_under_the_cursor_fixed() {
    let v = Viewport::new(STATION, 14.0, 400.0, 300.0);
    for anchor in [
        Screen::new(10.0, 20.0),
        Screen::new(399.0, 1.0),
        Screen::new(200.0, 150.0),
    ] {
        let before = v.to_lonlat(anchor);
        for zoom in [10.5, 14.3, 17.9] {
            let after = v.zoom_about(zoom, anchor).to_lonlat(anchor);
            assert!(close(before.lon, after.lon, 1e-9) && close(before.lat, after.lat, 1e-9));
        }
        let pinched = v.scale_about(1.7, anchor);
        assert!(close(pinched.zoom, 14.0 + 1.7f64.log2(), 1e-12));
        assert!(close(pinched.to_lonlat(anchor).lon, before.lon, 1e-9));
    }
}

#[test]
fn panning_moves_content_with_the_finger() {
    let v = Viewport::new(STATION, 15.0, 400.0, 300.0);
    let p = Screen::new(100.0, 100.0);
    let world = v.to_world(p);
    let moved = v.pan_by(30.0, -12.0);
    let s = moved.to_screen(world);
    assert!(close(s.x, 130.0, 1e-6) && close(s.y, 88.0, 1e-6));
}

#[test]
fn screen_and_world_are_inverse() {
    let v = Viewport::new(STATION, 16.25, 375.0, 640.0);
    for p in [
        Screen::new(0.0, 0.0),
        Screen::new(375.0, 640.0),
        Screen::new(12.5, 600.25),
    ] {
        let back = v.to_screen(v.to_world(p));
        assert!(close(back.x, p.x, 1e-6) && close(back.y, p.y, 1e-6));
    }
}

#[test]
fn clamping_keeps_zoom_and_centre_within_limits() {
    let bounds = WorldBounds::from_lonlat(15.40, 59.18, 16.20, 59.62);
    let limits = Limits {
        bounds,
        min_zoom: 9.0,
        max_zoom: 18.0,
    };
    let far = Viewport::new(LonLat::lon_lat(18.07, 59.33), 22.0, 400.0, 300.0).clamp(&limits);
    assert_eq!(far.zoom, 18.0);
    assert!(bounds.contains(far.center));
    let c = far.center_lonlat();
    assert!(close(c.lon, 16.20, 1e-9), "stopped at the east edge: {c:?}");
    let wide = Viewport::new(STATION, 3.0, 400.0, 300.0).clamp(&limits);
    assert_eq!(wide.zoom, 9.0);
    // Inside the limits nothing changes.
    let inside = Viewport::new(STATION, 14.0, 400.0, 300.0);
    assert_eq!(inside.clamp(&limits), inside);
}

#[test]
fn fit_shows_the_whole_box() {
    let tatort = WorldBounds::from_lonlat(15.8054, 59.3753, 15.9048, 59.4105);
    let v = Viewport::fit(tatort, 390.0, 500.0, 8.0);
    let seen = v.visible_bounds();
    assert!(seen.min.x <= tatort.min.x && seen.max.x >= tatort.max.x);
    assert!(seen.min.y <= tatort.min.y && seen.max.y >= tatort.max.y);
    // ... and fills it: one side touches the padding.
    let tl = v.to_screen(tatort.min);
    assert!(close(tl.x, 8.0, 1e-6) || close(tl.y, 8.0, 1e-6));
}

mod tiles {
    use std::collections::HashSet;

    use trygghetskarta::geo::mercator::TileId;
    use trygghetskarta::geo::tiles::{covering, place, stand_ins, tile_zoom};
    use trygghetskarta::geo::viewport::Viewport;
    use trygghetskarta::geo::LonLat;

    #[test]
    fn the_covering_tiles_fill_the_view_without_gaps() {
        let v = Viewport::new(LonLat::lat_lon(59.3968, 15.8410), 15.0, 400.0, 300.0);
        let tiles = covering(&v, 15);
        // 400x300 px at the tile's own zoom needs 2-3 columns and 2-3 rows.
        assert!((4..=9).contains(&tiles.len()), "{}", tiles.len());
        assert!(tiles.contains(&TileId {
            z: 15,
            x: 17825,
            y: 9624
        }));
        let placed: Vec<_> = tiles.iter().map(|t| place(&v, *t)).collect();
        let left = placed.iter().map(|p| p.x).fold(f64::INFINITY, f64::min);
        let right = placed
            .iter()
            .map(|p| p.x + p.size)
            .fold(f64::NEG_INFINITY, f64::max);
        let top = placed.iter().map(|p| p.y).fold(f64::INFINITY, f64::min);
        let bottom = placed
            .iter()
            .map(|p| p.y + p.size)
            .fold(f64::NEG_INFINITY, f64::max);
        assert!(left <= 0.0 && right >= 400.0 && top <= 0.0 && bottom >= 300.0);
        assert!(placed.iter().all(|p| (p.size - 256.0).abs() < 1e-9));
    }

    #[test]
    fn a_loaded_parent_stands_in_until_its_children_arrive() {
        let child = TileId {
            z: 15,
            x: 17825,
            y: 9624,
        };
        let parent = child.parent().unwrap();
        let grandparent = parent.parent().unwrap();
        let wanted = vec![
            child,
            TileId {
                z: 15,
                x: 17824,
                y: 9624,
            },
        ];
        let mut loaded = HashSet::from([grandparent]);
        assert_eq!(stand_ins(&wanted, &loaded, 3), vec![grandparent]);
        loaded.insert(parent);
        assert_eq!(
            stand_ins(&wanted, &loaded, 3),
            vec![parent],
            "the nearest, once"
        );
        loaded.insert(child);
        loaded.insert(TileId {
            z: 15,
            x: 17824,
            y: 9624,
        });
        assert!(stand_ins(&wanted, &loaded, 3).is_empty(), "nothing needed");
        assert_eq!(tile_zoom(14.6, 19), 15);
        assert_eq!(tile_zoom(21.0, 19), 19);
    }
}

#[test]
fn layers_are_translated_while_panning_and_redrawn_after_zoom_or_a_long_pan() {
    let layout = Viewport::new(STATION, 15.0, 400.0, 300.0);
    let panned = layout.pan_by(-50.0, 20.0);
    assert!(!panned.needs_relayout(&layout));
    let (dx, dy) = panned.offset_from(&layout);
    assert!(close(dx, -50.0, 1e-9) && close(dy, 20.0, 1e-9));
    // Content laid out for `layout`, moved by the offset, lands where `panned` puts it.
    let w = layout.to_world(Screen::new(123.0, 45.0));
    let moved = layout.to_screen(w);
    let target = panned.to_screen(w);
    assert!(close(moved.x + dx, target.x, 1e-6) && close(moved.y + dy, target.y, 1e-6));
    assert!(
        layout.pan_by(-140.0, 0.0).needs_relayout(&layout),
        "over a third of the width"
    );
    assert!(layout
        .zoom_about(15.5, Screen::new(0.0, 0.0))
        .needs_relayout(&layout));
    assert!(layout.resized(401.0, 300.0).needs_relayout(&layout));
}

#[test]
fn the_basemap_waits_a_frame_after_a_pan_only_while_it_still_covers_the_view() {
    let drawn = Viewport::new(STATION, 15.0, 400.0, 300.0);
    // Twice the container each way: 200 px to spare left and right, 150 above and below.
    let relayout = drawn.pan_by(-140.0, 60.0);
    assert!(relayout.needs_relayout(&drawn));
    assert!(relayout.covered_by(&drawn, 2.0, 50.0));
    // The view may move 50 px more before the basemap is drawn: it still covers it.
    for (dx, dy) in [(-50.0, 0.0), (0.0, 50.0), (-50.0, 40.0)] {
        let later = relayout.pan_by(dx, dy);
        let (ox, oy) = later.offset_from(&drawn);
        assert!(ox.abs() <= 200.0 && oy.abs() <= 150.0, "{ox} {oy}");
    }
    assert!(
        !drawn.pan_by(-160.0, 0.0).covered_by(&drawn, 2.0, 50.0),
        "too little to spare"
    );
    assert!(!drawn.pan_by(0.0, 101.0).covered_by(&drawn, 2.0, 50.0));
    assert!(
        !drawn.pan_by(-900.0, 0.0).covered_by(&drawn, 2.0, 50.0),
        "a jump elsewhere"
    );
    assert!(!drawn
        .zoom_about(15.5, Screen::new(0.0, 0.0))
        .covered_by(&drawn, 2.0, 50.0));
    assert!(!drawn.resized(401.0, 300.0).covered_by(&drawn, 2.0, 50.0));
}

#[test]
fn markers_keep_their_frame_through_pans_and_take_a_new_one_on_zoom_or_resize() {
    let first = Viewport::new(STATION, 15.0, 400.0, 300.0);
    // Two long pans, each laid out again: the marker frame stays the first layout.
    let second = first.pan_by(-300.0, 120.0);
    let third = second.pan_by(-300.0, 0.0);
    assert!(second.needs_relayout(&first) && third.needs_relayout(&second));
    let frame = Viewport::marker_frame(Some(first), second);
    assert_eq!(frame, first);
    let frame = Viewport::marker_frame(Some(frame), third);
    assert_eq!(frame, first);
    // A marker placed in that frame and the layer moved by the view's offset from the frame
    // lands exactly where the current view draws it, however far the pans went.
    let view = third.pan_by(37.0, -11.0);
    let (dx, dy) = view.offset_from(&frame);
    for p in [Screen::new(5.0, 7.0), Screen::new(390.0, 290.0)] {
        let w = view.to_world(p);
        let placed = frame.to_screen(w);
        assert!(close(placed.x + dx, p.x, 1e-6) && close(placed.y + dy, p.y, 1e-6));
    }
    // A zoom or a resize starts a new frame.
    let zoomed = third.zoom_about(15.5, Screen::new(10.0, 10.0));
    assert_eq!(Viewport::marker_frame(Some(first), zoomed), zoomed);
    let resized = third.resized(500.0, 300.0);
    assert_eq!(Viewport::marker_frame(Some(first), resized), resized);
    assert_eq!(Viewport::marker_frame(None, third), third);
}

#[test]
fn the_zoom_css_transform_draws_old_layout_where_the_new_view_wants_it() {
    let layout = Viewport::new(STATION, 14.0, 400.0, 300.0);
    let view = layout
        .zoom_about(14.7, Screen::new(300.0, 80.0))
        .pan_by(12.0, -7.0);
    let t = view.css_transform_from(&layout);
    let nums: Vec<f64> = t
        .trim_start_matches("translate3d(")
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter_map(|s| s.parse().ok())
        .collect();
    let (dx, dy, k) = (nums[0], nums[1], nums[3]);
    for p in [
        Screen::new(0.0, 0.0),
        Screen::new(400.0, 300.0),
        Screen::new(321.0, 12.0),
    ] {
        let w = layout.to_world(p);
        let drawn = layout.to_screen(w);
        // scale about the centre, then translate
        let x = 200.0 + (drawn.x - 200.0) * k + dx;
        let y = 150.0 + (drawn.y - 150.0) * k + dy;
        let want = view.to_screen(w);
        assert!(
            close(x, want.x, 0.05) && close(y, want.y, 0.05),
            "{x},{y} vs {want:?}"
        );
    }
}

#[test]
fn fixed_writes_what_the_float_printer_would() {
    use trygghetskarta::geo::fixed;
    // A spread of magnitudes and signs, as screen positions, scales and coordinates come.
    let mut x = 0.000_123_f64;
    let mut values = vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.05,
        12.345,
        -3.999_96,
        255.999,
        1e9 + 0.25,
    ];
    while x < 1e8 {
        values.extend([x, -x, x * 1.618_033, -x * 2.303_017]);
        x *= 3.7;
    }
    for v in values {
        for d in 0..=6u32 {
            let ours = fixed(v, d).to_string();
            let printer = format!("{v:.*}", d as usize);
            let printer = printer
                .strip_prefix('-')
                .filter(|p| p.trim_matches(['0', '.']).is_empty())
                .unwrap_or(&printer);
            if ours != printer {
                // Only a tie may round the other way (half away from zero, not to even).
                let scaled = v.abs() * 10f64.powi(d as i32);
                assert!(
                    (scaled.fract() - 0.5).abs() < 1e-6,
                    "{v} at {d}: {ours} / {printer}"
                );
            }
        }
    }
    assert_eq!(fixed(-2.25, 1).to_string(), "-2.3");
    assert_eq!(fixed(0.5, 0).to_string(), "1");
    assert_eq!(fixed(7.0, 3).to_string(), "7.000");
    assert_eq!(fixed(-0.004, 2).to_string(), "0.00");
}

#[test]
fn our_sine_and_cosine_of_a_latitude_agree_with_the_standard_library() {
    use trygghetskarta::geo::sin_cos;
    for i in -900..=900 {
        let lat = f64::from(i) / 10.0;
        let x = lat.to_radians();
        let (s, c) = sin_cos(x);
        assert!((s - x.sin()).abs() < 1e-15, "sin {lat}: {s} / {}", x.sin());
        assert!((c - x.cos()).abs() < 1e-15, "cos {lat}: {c} / {}", x.cos());
    }
    // The projection reads as before: Arboga's centre and the edges of the square world.
    let p = project(LonLat::lon_lat(15.8385, 59.3935));
    let lat = 59.3935_f64.to_radians();
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * 256.0;
    assert!((p.y - y).abs() < 1e-9, "{} / {y}", p.y);
    assert!(project(LonLat::lon_lat(0.0, 85.051_128_779_806_6)).y.abs() < 1e-9);
}
