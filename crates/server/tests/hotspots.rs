//! Hotspot detection on synthetic data with known clusters.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use trygghetskarta_server::hotspots::{dbscan, find, HotPoint, Params};
use trygghetskarta_server::metres::{distance, from_xy, to_xy};
use trygghetskarta_shared::{Category, TimeOfDay};

/// A point `sigma` metres (normal) around a centre.
fn around(rng: &mut StdRng, (lat, lon): (f64, f64), sigma: f64) -> (f64, f64) {
    let (x, y) = to_xy(lat, lon);
    // Box-Muller
    let (u1, u2): (f64, f64) = (rng.gen_range(1e-9..1.0), rng.gen_range(0.0..1.0));
    let r = (-2.0 * u1.ln()).sqrt() * sigma;
    let a = 2.0 * std::f64::consts::PI * u2;
    from_xy(x + r * a.cos(), y + r * a.sin())
}

fn point((lat, lon): (f64, f64), category: Category) -> HotPoint {
    HotPoint {
        lat,
        lon,
        category,
        time_of_day: TimeOfDay::Evening,
        agree_count: 1,
    }
}

const TORGET: (f64, f64) = (59.3948, 15.8437);
const STATION: (f64, f64) = (59.3968, 15.8410);
const MEDAKER: (f64, f64) = (59.4533, 15.7491);

#[test]
fn known_clusters_are_found_ranked_and_placed() {
    let mut rng = StdRng::seed_from_u64(7);
    let mut points = Vec::new();
    for _ in 0..60 {
        points.push(point(around(&mut rng, TORGET, 25.0), Category::Drugs));
    }
    for _ in 0..35 {
        points.push(point(around(&mut rng, MEDAKER, 25.0), Category::Traffic));
    }
    for _ in 0..12 {
        points.push(point(around(&mut rng, STATION, 15.0), Category::Lighting));
    }
    // 200 pins scattered over the kommun: background, not hotspots.
    for _ in 0..200 {
        let p = (rng.gen_range(59.25..59.55), rng.gen_range(15.55..16.05));
        points.push(point(p, Category::Other));
    }
    let spots = find(&points, Params::default());
    assert_eq!(spots.len(), 3, "{spots:#?}");
    let expect = [
        (TORGET, 60, Category::Drugs),
        (MEDAKER, 35, Category::Traffic),
        (STATION, 12, Category::Lighting),
    ];
    for (spot, (centre, n, category)) in spots.iter().zip(expect) {
        // A scattered pin may join a cluster it happens to fall into.
        assert!((n..=n + 2).contains(&spot.count), "{} vs {n}", spot.count);
        let off = distance(spot.lat, spot.lon, centre.0, centre.1);
        assert!(off < 15.0, "centroid {off:.1} m from the truth");
        assert_eq!(spot.by_category[0].key, category);
        assert!(spot.radius_m < 120.0, "{}", spot.radius_m);
        assert!(spot.outline.len() >= 4, "a polygon around the pins");
        assert_eq!(spot.outline.first(), spot.outline.last(), "closed ring");
    }
    assert_eq!(spots.iter().map(|s| s.rank).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(spots[1].area.as_deref(), Some("Medåker"));
}

#[test]
fn clusters_that_straddle_a_grid_line_stay_whole() {
    // Ten pins in a 40 m line across whatever grid the algorithm might use.
    let pins: Vec<(f64, f64)> = (0..10)
        .map(|i| (0.0, 100.0 * 7.0 - 20.0 + 4.0 * f64::from(i)))
        .collect();
    let labels = dbscan(&pins, 100.0, 3);
    assert!(labels.iter().all(|l| *l == Some(0)), "{labels:?}");
}

#[test]
fn separate_places_are_not_merged_and_noise_is_left_out() {
    // Two groups 300 m apart and a lone pin: radius 100 m keeps them apart.
    let mut xy = Vec::new();
    for i in 0..5 {
        xy.push((f64::from(i) * 10.0, 0.0));
        xy.push((300.0 + f64::from(i) * 10.0, 0.0));
    }
    xy.push((1000.0, 1000.0));
    let labels = dbscan(&xy, 100.0, 3);
    assert_eq!(labels[0], Some(0));
    assert_eq!(labels[1], Some(1));
    assert!(labels.iter().step_by(2).take(5).all(|l| *l == Some(0)));
    assert!(labels
        .iter()
        .skip(1)
        .step_by(2)
        .take(5)
        .all(|l| *l == Some(1)));
    assert_eq!(labels[10], None);
    // Fewer than min_pins together is no hotspot.
    assert!(dbscan(&xy[..2], 100.0, 3).iter().all(Option::is_none));
}

#[test]
fn ties_rank_by_agrees_and_limit_keeps_the_largest() {
    let mut points = Vec::new();
    for i in 0..4 {
        let d = f64::from(i) * 0.0001;
        points.push(point((TORGET.0 + d, TORGET.1), Category::Drugs));
        let mut p = point((MEDAKER.0 + d, MEDAKER.1), Category::Drugs);
        p.agree_count = 5;
        points.push(p);
    }
    let spots = find(&points, Params::default());
    assert_eq!(
        spots[0].area.as_deref(),
        Some("Medåker"),
        "more agrees first"
    );
    assert_eq!(spots[0].agree_total, 20);
    let one = find(
        &points,
        Params {
            limit: 1,
            ..Params::default()
        },
    );
    assert_eq!(one.len(), 1);
}

/// Textbook DBSCAN, O(n²): the reference the grid version must agree with.
fn naive(xy: &[(f64, f64)], r: f64, min: usize) -> (Vec<bool>, Vec<Option<usize>>) {
    let near = |i: usize| -> Vec<usize> {
        (0..xy.len())
            .filter(|&j| (xy[i].0 - xy[j].0).hypot(xy[i].1 - xy[j].1) <= r)
            .collect()
    };
    let core: Vec<bool> = (0..xy.len()).map(|i| near(i).len() >= min).collect();
    let mut label = vec![None; xy.len()];
    let mut next = 0;
    for s in 0..xy.len() {
        if !core[s] || label[s].is_some() {
            continue;
        }
        let mut stack = vec![s];
        label[s] = Some(next);
        while let Some(i) = stack.pop() {
            for j in near(i) {
                if label[j].is_none() {
                    label[j] = Some(next);
                    if core[j] {
                        stack.push(j);
                    }
                }
            }
        }
        next += 1;
    }
    (core, label)
}

#[test]
fn the_grid_version_agrees_with_textbook_dbscan() {
    for seed in 0..20 {
        let mut rng = StdRng::seed_from_u64(seed);
        // Clumps and scatter in a 2 km square.
        let mut xy = Vec::new();
        for _ in 0..rng.gen_range(1..6) {
            let (cx, cy) = (rng.gen_range(0.0..2000.0), rng.gen_range(0.0..2000.0));
            for _ in 0..rng.gen_range(2..40) {
                xy.push((
                    cx + rng.gen_range(-80.0..80.0),
                    cy + rng.gen_range(-80.0..80.0),
                ));
            }
        }
        for _ in 0..60 {
            xy.push((rng.gen_range(0.0..2000.0), rng.gen_range(0.0..2000.0)));
        }
        let (core, want) = naive(&xy, 100.0, 3);
        let got = dbscan(&xy, 100.0, 3);
        // Core pins form the same groups (cluster numbers may differ) ...
        for i in 0..xy.len() {
            for j in 0..xy.len() {
                if core[i] && core[j] {
                    assert_eq!(want[i] == want[j], got[i] == got[j], "seed {seed}: {i} {j}");
                }
            }
            // ... and every pin is in a hotspot exactly when DBSCAN puts it in one.
            assert_eq!(want[i].is_some(), got[i].is_some(), "seed {seed}: pin {i}");
        }
    }
}
