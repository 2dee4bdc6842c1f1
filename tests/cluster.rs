//! Clustering: counts are conserved, clusters split as zoom grows, queries find what is visible.

use std::collections::{HashMap, HashSet};

use trygghetskarta::geo::cluster::{ClusterIndex, MAX_LEVEL, MIN_LEVEL};
use trygghetskarta::geo::markers::{self, MarkerKey};
use trygghetskarta::geo::mercator::project;
use trygghetskarta::geo::viewport::Viewport;
use trygghetskarta::geo::{LonLat, World};
use trygghetskarta::model::marker_html;

/// A deterministic spread of points around Arboga (xorshift, no dependencies).
fn synthetic(n: usize) -> Vec<(World, usize)> {
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|i| {
            let lon = 15.80 + next() * 0.10;
            let lat = 59.37 + next() * 0.04;
            (project(LonLat::lon_lat(lon, lat)), i % 6)
        })
        .collect()
}

#[test]
fn every_level_accounts_for_every_point() {
    let points = synthetic(5_000);
    let index = ClusterIndex::new(&points, 6);
    for level in MIN_LEVEL..=MAX_LEVEL {
        let total: u32 = index.level(level).iter().map(|c| c.count).sum();
        assert_eq!(total, 5_000, "level {level}");
        let per_kind: u32 = index
            .level(level)
            .iter()
            .map(|c| c.per_kind.iter().sum::<u32>())
            .sum();
        assert_eq!(per_kind, 5_000);
    }
}

#[test]
fn clusters_split_as_zoom_grows() {
    let index = ClusterIndex::new(&synthetic(2_000), 6);
    let mut previous = 0;
    for level in MIN_LEVEL..=MAX_LEVEL {
        let n = index.level(level).len();
        assert!(n >= previous, "level {level}: {n} < {previous}");
        previous = n;
    }
    assert!(
        index.level(10).len() < 10,
        "the town is a few bubbles from afar"
    );
    assert!(
        index.level(MAX_LEVEL).len() > 1_900,
        "nearly every pin alone up close"
    );
    // Each cluster is the union of its children one level down.
    for parent in index.level(12) {
        let children: u32 = index
            .level(13)
            .iter()
            .filter(|c| (c.cell.0 >> 1, c.cell.1 >> 1) == parent.cell)
            .map(|c| c.count)
            .sum();
        assert_eq!(children, parent.count);
    }
}

#[test]
fn the_centroid_is_the_mean_of_the_members() {
    let a = project(LonLat::lon_lat(15.8400, 59.3960));
    let b = project(LonLat::lon_lat(15.8402, 59.3961));
    let index = ClusterIndex::new(&[(a, 0), (b, 2)], 6);
    let top = &index.level(MIN_LEVEL)[0];
    assert_eq!(top.count, 2);
    assert_eq!(top.per_kind, vec![1, 0, 1, 0, 0, 0]);
    assert!((top.world.x - (a.x + b.x) / 2.0).abs() < 1e-12);
    assert!(
        index.expansion_zoom(top) > 14,
        "two pins 15 m apart split only close in"
    );
}

#[test]
fn queries_return_what_the_view_shows() {
    let points = synthetic(3_000);
    let index = ClusterIndex::new(&points, 6);
    let view = Viewport::new(LonLat::lon_lat(15.85, 59.39), 16.0, 400.0, 300.0);
    let b = view.visible_bounds();
    let shown: u32 = index.query(view.zoom, b, 0.0).iter().map(|c| c.count).sum();
    let level = ClusterIndex::level_for(view.zoom);
    let expected: u32 = index
        .level(level)
        .iter()
        .filter(|c| c.world.x >= b.min.x && c.world.x <= b.max.x)
        .map(|c| c.count)
        .sum();
    assert_eq!(shown, expected);
    assert!(shown > 0 && shown < 3_000);
}

#[test]
fn after_a_pan_the_buttons_that_stay_are_left_alone() {
    let points = synthetic(20_000);
    let index = ClusterIndex::new(&points, 6);
    let before = Viewport::new(LonLat::lon_lat(15.85, 59.39), 15.0, 1024.0, 800.0);
    let after = before.pan_by(-360.0, -180.0);
    let margin = 1024.0 / 3.0 / before.scale();
    let first = markers::listed(&index, 1, before.zoom, before.visible_bounds(), margin);
    let shown: HashMap<MarkerKey, usize> =
        first.iter().enumerate().map(|(i, m)| (m.key, i)).collect();
    let next = markers::listed(&index, 1, after.zoom, after.visible_bounds(), margin);
    let (gone, new) = marker_html::changes(&shown, &next);
    let wanted: HashSet<MarkerKey> = next.iter().map(|m| m.key).collect();
    let staying = first.iter().filter(|m| wanted.contains(&m.key)).count();
    assert!(staying > 0 && !gone.is_empty() && !new.is_empty());
    // Exactly those that left go, exactly those that came are written, each once.
    assert_eq!(gone.len(), first.len() - staying);
    assert!(gone.iter().all(|k| !wanted.contains(k)));
    assert_eq!(new.len(), next.len() - staying);
    assert!(new.iter().all(|&i| !shown.contains_key(&next[i].key)));
    assert_eq!(new.iter().collect::<HashSet<_>>().len(), new.len());
}

#[test]
fn a_relayout_after_a_pan_writes_the_markers_the_view_lacks_first() {
    let points = synthetic(20_000);
    let index = ClusterIndex::new(&points, 6);
    let before = Viewport::new(LonLat::lon_lat(15.85, 59.39), 15.0, 1024.0, 800.0);
    let margin = 1024.0 / 3.0 / before.scale();
    let first = markers::listed(&index, 1, before.zoom, before.visible_bounds(), margin);
    let shown: HashMap<MarkerKey, usize> =
        first.iter().enumerate().map(|(i, m)| (m.key, i)).collect();
    // A fling: the move that passes the relayout point went 120 px past it.
    let after = before.pan_by(-(1024.0 / 3.0 + 120.0), 0.0);
    assert!(after.needs_relayout(&before));
    let next = markers::listed(&index, 1, after.zoom, after.visible_bounds(), margin);
    let (_, new) = marker_html::changes(&shown, &next);
    let view = after.visible_bounds();
    let reach = 22.0 / after.scale();
    let lacking: HashSet<usize> = new
        .iter()
        .copied()
        .filter(|&i| view.grown(reach).contains(next[i].world))
        .collect();
    assert!(
        !lacking.is_empty(),
        "the fling shows markers not yet written"
    );
    let steps = markers::paced(&next, &new, &view, reach, 24);
    // Every new marker once, those the view lacks in the first step, no later step over the pace.
    assert!(steps.iter().all(|s| !s.is_empty()));
    assert!(steps[0].len() <= 24.max(lacking.len()));
    assert!(steps[1..].iter().all(|s| s.len() <= 24));
    let written: Vec<usize> = steps.concat();
    assert_eq!(written.len(), new.len());
    assert_eq!(
        written.iter().collect::<HashSet<_>>(),
        new.iter().collect::<HashSet<_>>()
    );
    assert!(lacking.iter().all(|i| steps[0].contains(i)));
    assert!(
        steps.len() > 1,
        "the margin's markers take more than one step"
    );
    // However small the pace, the view gets all it lacks in the first step.
    let tight = markers::paced(&next, &new, &view, reach, 1);
    assert!(lacking.len() > 1 && lacking.iter().all(|i| tight[0].contains(i)));
    // Nearest first: no step lies closer to the view than the one before it.
    let farthest = |s: &Vec<usize>| {
        s.iter()
            .map(|&i| view.distance_outside(next[i].world))
            .fold(0.0, f64::max)
    };
    let nearest = |s: &Vec<usize>| {
        s.iter()
            .map(|&i| view.distance_outside(next[i].world))
            .fold(f64::INFINITY, f64::min)
    };
    assert!(steps.windows(2).all(|w| farthest(&w[0]) <= nearest(&w[1])));
}
