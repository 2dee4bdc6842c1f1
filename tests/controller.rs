#![cfg(not(target_arch = "wasm32"))]
//! The map policy (`interaction::controller`): where the map opens, and commands and focus kept
//! within the Arboga limits.

use trygghetskarta::geo::basemap::Basemap;
use trygghetskarta::geo::mercator::project;
use trygghetskarta::geo::{LonLat, Screen};
use trygghetskarta::interaction::controller::{
    apply, focus, initial_view, limits_for, opening_view, resize,
};
use trygghetskarta::interaction::gesture::Command;
use trygghetskarta::model::options::StartView;

const BASEMAP: &str = include_str!("../public/basemap/arboga.geojson");

#[test]
fn the_initial_view_shows_arboga_and_labels_follow_zoom() {
    let b = Basemap::from_geojson(BASEMAP).unwrap();
    let v = initial_view(390.0, 560.0);
    let names: Vec<_> = b.visible_places(&v).map(|p| p.name.as_str()).collect();
    assert!(names.contains(&"Arboga"), "{names:?}");
    assert!(!names.contains(&"Hallstahammar"), "far away: {names:?}");
    // Zoomed out to the limit the whole context shows, with only the big names.
    let wide = apply(
        v,
        Command::Zoom {
            factor: 1.0 / 1024.0,
            anchor: None,
        },
    );
    assert_eq!(wide.zoom, limits_for(390.0, 560.0).min_zoom);
    assert!(b.visible_places(&wide).all(|p| p.rank <= 2));
    // Zoomed in, the station label appears.
    let close = v.zoom_about(16.0, Screen::new(195.0, 280.0));
    let station = project(LonLat::lat_lon(59.3968, 15.8410));
    let at = close.to_screen(station);
    let close = close.pan_by(195.0 - at.x, 280.0 - at.y);
    assert!(b.visible_places(&close).any(|p| p.name == "Arboga station"));
}

#[test]
fn focusing_centres_within_the_limits() {
    let v = initial_view(390.0, 560.0);
    let station = project(LonLat::lat_lon(59.3968, 15.8410));
    let f = focus(v, station, 16.0);
    assert_eq!((f.center, f.zoom), (station, 16.0));
    let far = focus(v, project(LonLat::lat_lon(59.3293, 18.0686)), 25.0);
    assert_eq!(far.zoom, 18.0, "zoom clamped");
    assert!(trygghetskarta::geo::arboga::context_bounds().contains(far.center));
}

#[test]
fn the_map_opens_where_the_page_asks_and_keeps_its_place_when_resized() {
    assert_eq!(opening_view(400.0, 300.0, None), initial_view(400.0, 300.0));
    let medaker = LonLat::lat_lon(59.4554, 15.7403);
    let start = StartView {
        at: medaker,
        zoom: 15.0,
    };
    let v = opening_view(400.0, 300.0, Some(start));
    assert_eq!((v.center, v.zoom), (project(medaker), 15.0));
    assert_eq!((v.width, v.height), (400.0, 300.0));
    // A wider container shows more around the same centre at the same zoom.
    let wider = resize(v, 800.0, 300.0);
    assert_eq!((wider.center, wider.zoom), (v.center, v.zoom));
    assert_eq!((wider.width, wider.height), (800.0, 300.0));
    // Zoomed out as far as a small container allows, a large one clamps to its own limit.
    let small = initial_view(200.0, 150.0);
    let out = apply(
        small,
        Command::Zoom {
            factor: 1.0 / 1024.0,
            anchor: None,
        },
    );
    let big = resize(out, 1600.0, 1200.0);
    assert_eq!(big.zoom, limits_for(1600.0, 1200.0).min_zoom);
    assert!(big.zoom > out.zoom);
}

#[test]
fn a_zoom_is_laid_out_once_it_has_paused_with_one_timer_for_all_its_steps() {
    use trygghetskarta::interaction::controller::{PauseEnd, ZoomPause, ZOOM_PAUSE_MS};
    let mut p = ZoomPause::default();
    // The first step arms the timer; the steps after it only note their time.
    assert_eq!(p.step(0.0), Some(ZOOM_PAUSE_MS));
    assert_eq!(p.step(120.0), None);
    assert_eq!(p.step(240.0), None);
    // The timer fires 300 ms after the first step: the last came 60 ms ago, so it waits 240 more.
    assert_eq!(p.fired(300.0), PauseEnd::Wait(240.0));
    assert_eq!(p.step(400.0), None);
    assert_eq!(p.fired(540.0), PauseEnd::Wait(160.0));
    // Late by a few ms, as timers are: the pause is over.
    assert_eq!(p.fired(704.0), PauseEnd::Layout);
    // The next zoom arms a timer of its own.
    assert_eq!(p.step(1000.0), Some(ZOOM_PAUSE_MS));
}

#[test]
fn a_layout_for_another_reason_ends_the_wait_for_a_zoom_pause() {
    use trygghetskarta::interaction::controller::{PauseEnd, ZoomPause, ZOOM_PAUSE_MS};
    let mut p = ZoomPause::default();
    assert_eq!(p.step(0.0), Some(ZOOM_PAUSE_MS));
    // A long pan laid the layers out at 100 ms: the timer on its way does nothing...
    p.cancel();
    assert_eq!(p.fired(300.0), PauseEnd::Idle);
    // ...unless the zoom went on after it, which the same timer then waits for.
    let mut p = ZoomPause::default();
    p.step(0.0);
    p.cancel();
    assert_eq!(p.step(200.0), None);
    assert_eq!(p.fired(300.0), PauseEnd::Wait(200.0));
    assert_eq!(p.fired(500.0), PauseEnd::Layout);
}
