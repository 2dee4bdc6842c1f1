//! The indexes the filters, hotspots, exports and the public list need are there and used: the
//! database's own plan (`EXPLAIN` / `EXPLAIN QUERY PLAN`) for those queries over 20 000 pins,
//! on the backend under test.

use crate::common;

use common::TestApp;
use trygghetskarta_server::filter;
use trygghetskarta_server::storage::{Kind, PinRow};

fn pins(n: usize) -> Vec<PinRow> {
    (0..n)
        .map(|i| PinRow {
            id: uuid::Uuid::new_v4().to_string(),
            lat: 59.30 + (i % 997) as f64 * 0.0002,
            lon: 15.60 + (i % 991) as f64 * 0.0004,
            category: ["traffic", "drugs", "lighting"][i % 3].into(),
            time_of_day: "night".into(),
            comment: None,
            place_description: None,
            delete_token: "t".repeat(64),
            // One pin an hour over two and a bit years.
            created_at: 1_735_686_000 + i as i64 * 3600,
            agree_count: 0,
            hidden: i % 40 == 0,
            comment_approved: false,
            hidden_reason: None,
            follow_up: Default::default(),
        })
        .collect()
}

async fn plans(app: &TestApp, query: &str) -> [String; 2] {
    let (f, _) = filter::parse(Some(query), &[], &[]).unwrap();
    app.db.query_plans(&f).await.unwrap()
}

#[tokio::test]
async fn lists_exports_and_the_public_list_read_through_their_indexes() {
    let _turn = common::one_at_a_time().await;
    let app = TestApp::new().await;
    app.db.import_pins(&pins(20_000)).await.unwrap();
    let kind = app.db.kind();

    // Everything, oldest first (exports, staff lists, hotspots): read in index order, no sort.
    let [all, public] = plans(&app, "").await;
    eprintln!("all pins:\n{all}\npublic list:\n{public}");
    match kind {
        Kind::Sqlite => {
            assert!(all.contains("USING INDEX pins_created_at"), "{all}");
        }
        Kind::Postgres => {
            assert!(all.contains("Index Scan using pins_created"), "{all}");
            assert!(public.contains("pins_public"), "{public}");
            assert!(!public.contains("Sort"), "{public}");
        }
    }
    assert!(
        !all.contains("TEMP B-TREE") && !all.contains("Sort"),
        "{all}"
    );

    // A month: only that month's part of the index is read.
    let [month, _] = plans(&app, "from=2026-03-01&to=2026-03-31").await;
    eprintln!("one month:\n{month}");
    match kind {
        Kind::Sqlite => assert!(
            month.contains(
                "SEARCH pins USING INDEX pins_created_at (created_at>? AND created_at<?)"
            ),
            "{month}"
        ),
        Kind::Postgres => assert!(
            month.contains("pins_created") && month.contains("Index Cond: ((created_at >="),
            "{month}"
        ),
    }

    // A small map box: the position index.
    let [map_box, _] = plans(&app, "bbox=15.80,59.38,15.81,59.39").await;
    eprintln!("a map box:\n{map_box}");
    assert!(map_box.contains("pins_position"), "{map_box}");

    // Exports and hotspots read SQLite a page at a time: every page in time order, never
    // sorted (a box too: sorting its pins again for every page would cost more than one pass).
    // PostgreSQL reads them with one statement, as the lists above.
    if kind != Kind::Sqlite {
        return;
    }
    for query in [
        "",
        "bbox=15.80,59.38,15.81,59.39",
        "area=Arboga",
        "category=traffic",
    ] {
        let (f, _) = filter::parse(Some(query), &[], &[]).unwrap();
        let plan = app.db.export_plan(&f).await.unwrap();
        eprintln!("export {query:?}:\n{plan}");
        assert!(plan.contains("pins_created_at"), "{query}: {plan}");
        assert!(
            !plan.contains("TEMP B-TREE") && !plan.contains("Sort"),
            "{query}: {plan}"
        );
    }
}

/// The lägesbild's groups are read from narrow covering indexes on SQLite, the day groups in
/// group order (no sorting), with and without dates and a large area; a small area's few pins
/// through the position index.
#[tokio::test]
async fn the_lagesbild_reads_its_groups_from_covering_indexes() {
    let _turn = common::one_at_a_time().await;
    let app = TestApp::new().await;
    app.db.import_pins(&pins(20_000)).await.unwrap();
    for query in ["", "from=2026-03-01&to=2026-05-31", "area=Arboga"] {
        let (f, _) = filter::parse(Some(query), &[], &[]).unwrap();
        let [days, cells] = app.db.stats_plans(&f).await.unwrap();
        eprintln!("{query:?}: day groups:\n{days}\ncell groups:\n{cells}");
        if app.db.kind() == Kind::Sqlite {
            assert!(days.contains("COVERING INDEX pins_stats"), "{days}");
            assert!(!days.contains("TEMP B-TREE FOR GROUP BY"), "{days}");
            // Cells of a few months may be sorted after a range of `pins_stats`.
            assert!(cells.contains("COVERING INDEX"), "{cells}");
            if query.is_empty() {
                assert!(cells.contains("COVERING INDEX pins_cells"), "{cells}");
                assert!(!cells.contains("TEMP B-TREE FOR GROUP BY"), "{cells}");
            }
        }
    }
    // A small area (Medåker, under 1 km²): the position index finds its few pins.
    let (f, _) = filter::parse(Some("area=Medåker"), &[], &[]).unwrap();
    let [days, cells] = app.db.stats_plans(&f).await.unwrap();
    eprintln!("Medåker: day groups:\n{days}\ncell groups:\n{cells}");
    if app.db.kind() == Kind::Sqlite {
        assert!(days.contains("pins_position"), "{days}");
        assert!(cells.contains("pins_position"), "{cells}");
    }
}
