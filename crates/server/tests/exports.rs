//! Export formats: golden files for GeoJSON, CSV and XLSX (re-read with calamine), a CSV parser
//! round trip, and GDAL's `ogrinfo` reading the GeoJSON and the CSV as points, as QGIS would.
//!
//! `UPDATE_GOLDEN=1 cargo test -p trygghetskarta-server --test exports` rewrites the golden
//! files; review the diff before committing.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use trygghetskarta_server::export::{csv, geojson, xlsx, ExportPin, COLUMNS};
use trygghetskarta_server::hotspots::{self, Params};
use trygghetskarta_server::storage::PinRow;

fn row(id: &str, lat: f64, lon: f64, category: &str, tod: &str, created_at: i64) -> PinRow {
    PinRow {
        id: id.into(),
        lat,
        lon,
        category: category.into(),
        time_of_day: tod.into(),
        comment: None,
        place_description: None,
        delete_token: "secret".into(),
        created_at,
        agree_count: 0,
        hidden: false,
        comment_approved: false,
        hidden_reason: None,
        follow_up: Default::default(),
    }
}

/// Three pins that exercise every awkward case: quotes, delimiters and line breaks in text,
/// å ä ö and an emoji, a formula-looking comment, summer and winter time, a hidden pin, a pin
/// outside the town.
fn fixture() -> Vec<ExportPin> {
    let mut torget = row(
        "6f1c1a3e-3b8e-4a43-9d0b-2f6f5d0a9c11",
        59.3948,
        15.8437,
        "lighting",
        "evening",
        1_795_712_400, // 2026-11-26 18:00 (+01:00)
    );
    torget.comment =
        Some("Mörkt vid \"tunneln\"; lampan är trasig.\nÄnnu värre på vintern.".into());
    torget.place_description = Some("Gångtunneln under Västerlånggatan".into());
    torget.comment_approved = true;
    torget.agree_count = 3;
    torget.follow_up.status = "planned".into();
    torget.follow_up.status_changed_at = Some(1_795_798_800); // 2026-11-27 18:00 (+01:00)
    torget.follow_up.public_response = Some("=Vi byter lampan; vecka 49.".into());
    torget.follow_up.response_party = Some("kommun".into());
    torget.follow_up.response_at = Some(1_795_798_800);
    torget.follow_up.action_id = Some("9d2b1c3a-5e6f-4a7b-8c9d-0e1f2a3b4c5d".into());
    let mut station = row(
        "0b7d9a52-8c1e-4f7e-b7a4-5d2c9e8f1a20",
        59.3968,
        15.841,
        "traffic",
        "night",
        1_782_936_900, // 2026-07-01 22:15 (+02:00)
    );
    station.comment = Some("=HYPERLINK(\"http://example.invalid\")".into());
    station.hidden = true;
    station.hidden_reason = Some("Reklam; inte en plats".into());
    station.follow_up.status = "no_action".into();
    station.follow_up.status_reason = Some("duplicate".into());
    station.follow_up.status_changed_at = Some(1_783_023_300); // 2026-07-02 22:15 (+02:00)
    let mut village = row(
        "c3e4f5a6-1b2c-4d3e-8f9a-0b1c2d3e4f5a",
        59.4533,
        15.7491,
        "other",
        "all_day",
        1_767_222_000, // 2026-01-01 00:00 (+01:00)
    );
    village.place_description = Some("Busshållplatsen 🚌".into());
    [torget, station, village]
        .into_iter()
        .map(ExportPin::from_row)
        .collect()
}

fn golden(name: &str, actual: &[u8]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    assert!(
        expected == actual,
        "{name} differs from the golden file:\n--- expected\n{}\n--- actual\n{}",
        String::from_utf8_lossy(&expected),
        String::from_utf8_lossy(actual)
    );
}

#[test]
fn geojson_matches_its_golden_file() {
    let bytes = geojson::collection(&fixture());
    golden("pins.geojson", &bytes);
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    assert!(
        v.get("crs").is_none(),
        "RFC 7946: WGS 84 without a crs member"
    );
    let f = &v["features"][0];
    assert_eq!(
        f["geometry"]["coordinates"],
        serde_json::json!([15.8437, 59.3948])
    );
    let names: Vec<&str> = f["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut want = COLUMNS.to_vec();
    want.sort();
    let mut got = names.clone();
    got.sort();
    assert_eq!(got, want);
}

#[test]
fn csv_matches_its_golden_file_and_parses_back() {
    let pins = fixture();
    let text = csv::document(&pins);
    golden("pins.csv", text.as_bytes());
    assert!(
        text.starts_with('\u{feff}'),
        "the BOM Excel needs for UTF-8"
    );
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        COLUMNS
    );
    let records: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 3);
    assert_eq!(&records[0][1], "2026-11-26 18:00:00");
    assert_eq!(&records[1][1], "2026-07-01 22:15:00", "summer time");
    assert_eq!(&records[0][2], "59.3948");
    assert_eq!(&records[0][10], pins[0].comment.as_deref().unwrap());
    assert_eq!(
        &records[1][10], "'=HYPERLINK(\"http://example.invalid\")",
        "a formula is defused"
    );
    assert_eq!(&records[1][14], "Reklam; inte en plats");
    assert_eq!(&records[2][9], "Busshållplatsen 🚌");
    assert!(text.contains("\r\n") && !text.replace("\r\n", "").contains("\r"));
}

fn cell(d: &Data) -> String {
    match d {
        Data::Empty => "-".into(),
        Data::String(s) => format!("{s:?}"),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => format!("{i}"),
        Data::Bool(b) => format!("{b}"),
        Data::DateTime(t) => {
            // Excel serial days since 1899-12-30, shown as a civil date-time.
            let secs = (t.as_f64() * 86_400.0).round() as i64;
            let base = jiff::civil::date(1899, 12, 30).at(0, 0, 0, 0);
            let dt = base.checked_add(jiff::Span::new().seconds(secs)).unwrap();
            format!("datetime {}", dt.strftime("%Y-%m-%d %H:%M:%S"))
        }
        other => format!("{other:?}"),
    }
}

fn xlsx_bytes(pins: &[ExportPin]) -> Vec<u8> {
    let (n, out) = xlsx::write(
        pins.iter().cloned().map(Ok),
        |points| {
            hotspots::find(
                points,
                Params {
                    min_pins: 2,
                    ..Params::default()
                },
            )
        },
        std::io::Cursor::new(Vec::new()),
    )
    .unwrap();
    assert_eq!(n, pins.len() as u64);
    out.into_inner()
}

#[test]
fn xlsx_refuses_more_pins_than_its_sheet_holds_instead_of_cutting_the_list() {
    let pins = fixture();
    let n = pins.len() as u32;
    let rows = || pins.iter().cloned().map(Ok);
    let no_hotspots = |_: &[_]| Vec::new();
    let out = || std::io::Cursor::new(Vec::new());
    let (written, _) = xlsx::write_at_most(rows(), no_hotspots, out(), n).unwrap();
    assert_eq!(written, u64::from(n), "exactly the limit fits");
    match xlsx::write_at_most(rows(), no_hotspots, out(), n - 1) {
        Err(xlsx::XlsxExportError::TooManyRows(most)) => assert_eq!(most, n - 1),
        other => panic!(
            "one pin too many must be refused, got {:?}",
            other.map(|(n, _)| n)
        ),
    }
    assert_eq!(xlsx::MAX_PINS, 1_048_575, "Excel's rows less the header");
}

#[test]
fn xlsx_reads_back_with_types_and_matches_its_golden_dump() {
    let mut pins = fixture();
    // A second pin by the station makes one hotspot for the summary sheet.
    let mut near = pins[1].clone();
    near.id = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d".into();
    near.lat += 0.0002;
    pins.push(near);
    let bytes = xlsx_bytes(&pins);
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    assert_eq!(book.sheet_names(), vec!["Markeringar", "Hotspots"]);
    let mut dump = String::new();
    for name in book.sheet_names() {
        dump.push_str(&format!("# {name}\n"));
        let range = book.worksheet_range(&name).unwrap();
        for r in range.rows() {
            dump.push_str(&r.iter().map(cell).collect::<Vec<_>>().join(" | "));
            dump.push('\n');
        }
    }
    golden("pins.xlsx.txt", dump.as_bytes());
    assert!(
        dump.contains("datetime 2026-11-26 18:00:00"),
        "dates are dates"
    );
    assert!(dump.contains("| 59.3948 |"), "numbers are numbers");

    // Filters on, header row frozen.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert!(
        sheet.contains(r#"<autoFilter ref="A1:T5"/>"#),
        "{sheet:.600}"
    );
    assert!(sheet.contains(r#"state="frozen""#));
}

// --- GDAL: what QGIS uses to open the files ---------------------------------------------

fn ogrinfo(args: &[&str], file: &Path) -> String {
    let out = Command::new("ogrinfo")
        .args(["-ro", "-al"])
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| {
            panic!("ogrinfo (GDAL) is needed for this test: {e}. `scripts/setup.sh --test` installs gdal-bin.")
        });
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

#[test]
fn gdal_reads_the_geojson_as_points_with_every_field() {
    let (_dir, path) = temp_file("pins.geojson", &geojson::collection(&fixture()));
    let summary = ogrinfo(&["-so"], &path);
    assert!(summary.contains("Feature Count: 3"), "{summary}");
    assert!(summary.contains("Geometry: Point"), "{summary}");
    for field in [
        "category_sv: String",
        "agree_count: Integer",
        "comment_approved: Integer(Boolean)",
    ] {
        assert!(summary.contains(field), "{field}: {summary}");
    }
    let all = ogrinfo(&[], &path);
    assert!(all.contains("POINT (15.8437 59.3948)"), "{all}");
    assert!(
        all.contains("place_description (String) = Busshållplatsen 🚌"),
        "{all}"
    );
}

#[test]
fn gdal_reads_the_csv_as_points_with_swedish_letters_intact() {
    let (_dir, path) = temp_file("pins.csv", csv::document(&fixture()).as_bytes());
    let opts = [
        "-oo",
        "X_POSSIBLE_NAMES=lon",
        "-oo",
        "Y_POSSIBLE_NAMES=lat",
        "-oo",
        "AUTODETECT_TYPE=YES",
    ];
    let summary = ogrinfo(&[&opts[..], &["-so"]].concat(), &path);
    assert!(summary.contains("Feature Count: 3"), "{summary}");
    assert!(summary.contains("Geometry: Point"), "{summary}");
    assert!(
        summary.contains("\nid: String"),
        "no BOM in the first column name: {summary}"
    );
    let all = ogrinfo(&opts, &path);
    assert!(all.contains("POINT (15.8437 59.3948)"), "{all}");
    assert!(
        all.contains("category_sv (String) = Dålig belysning"),
        "{all}"
    );
    assert!(
        all.contains("Mörkt vid \"tunneln\"; lampan är trasig."),
        "{all}"
    );
}

#[test]
fn the_mail_about_a_new_state_matches_its_golden_file() {
    let mut pin = row(
        "6f1c1a3e-3b8e-4a43-9d0b-2f6f5d0a9c11",
        59.3948,
        15.8437,
        "lighting",
        "evening",
        1_795_712_400,
    );
    pin.follow_up.status = "no_action".into();
    pin.follow_up.status_reason = Some("not_ours".into());
    pin.follow_up.public_response =
        Some("Vägen sköts av Trafikverket; vi har skickat din markering till dem.".into());
    pin.follow_up.response_party = Some("polis".into());
    pin.follow_up.response_at = Some(1_795_798_800);
    let (subject, body) = trygghetskarta_server::mail::compose(
        &pin,
        "https://trygghet.example/?pin=6f1c1a3e-3b8e-4a43-9d0b-2f6f5d0a9c11",
        "https://trygghet.example/avregistrera/6f1c1a3e-3b8e-4a43-9d0b-2f6f5d0a9c11/abc",
    );
    golden(
        "status-mail.txt",
        format!("Subject: {subject}\n\n{body}").as_bytes(),
    );
}

/// Two actions: one over a drawn area by another party, with a formula-looking title, quotes
/// and a line break; one at a point, cancelled with a reason.
fn actions_fixture() -> Vec<trygghetskarta_shared::Action> {
    use trygghetskarta_shared::{Action, ActionNote, ActionParty, ActionState, Category};
    let id = |s: &str| s.parse().unwrap();
    vec![
        Action {
            id: id("9d2b1c3a-5e6f-4a7b-8c9d-0e1f2a3b4c5d"),
            title: "=Ny belysning i \"tunneln\"".into(),
            description: "Sex LED-armaturer; klart före jul.\nBostadsbolaget betalar.".into(),
            party: ActionParty::Other,
            party_name: Some("Arboga Bostäder".into()),
            lat: 59.3949,
            lon: 15.8438,
            area: Some(vec![
                [15.8430, 59.3945],
                [15.8446, 59.3945],
                [15.8446, 59.3953],
                [15.8430, 59.3945],
            ]),
            starts_on: Some("2026-12-01".into()),
            target_on: Some("2027-01-31".into()),
            state: ActionState::Ongoing,
            cancel_reason: None,
            notes: vec![ActionNote {
                date: "2026-12-03".into(),
                text: "Armaturerna är beställda.".into(),
            }],
            pins: vec![
                id("6f1c1a3e-3b8e-4a43-9d0b-2f6f5d0a9c11"),
                id("0b7d9a52-8c1e-4f7e-b7a4-5d2c9e8f1a20"),
            ],
            categories: vec![Category::Lighting],
            dialogues: vec![],
            area_name: Some("Arboga".into()),
            created_at: "2026-11-27T18:00:00+01:00".into(),
            updated_at: "2026-12-03T09:30:00+01:00".into(),
        },
        Action {
            id: id("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5e"),
            title: "Klipp buskarna vid Ärnaängen".into(),
            description: String::new(),
            party: ActionParty::Both,
            party_name: None,
            lat: 59.3876,
            lon: 15.8301,
            area: None,
            starts_on: None,
            target_on: None,
            state: ActionState::Cancelled,
            cancel_reason: Some("Marken är privat; ägaren gör det själv.".into()),
            notes: vec![],
            pins: vec![],
            categories: vec![],
            dialogues: vec![],
            area_name: None,
            created_at: "2026-07-01T10:00:00+02:00".into(),
            updated_at: "2026-07-02T11:15:00+02:00".into(),
        },
    ]
}

#[test]
fn the_actions_export_matches_its_golden_files() {
    use trygghetskarta_server::export::actions;
    let list = actions_fixture();
    // GeoJSON: the drawn area as a Polygon, the other as a Point.
    let bytes = actions::geojson(&list);
    golden("actions.geojson", &bytes);
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["features"][0]["geometry"]["type"], "Polygon");
    assert_eq!(v["features"][1]["geometry"]["type"], "Point");
    assert_eq!(
        v["features"][0]["properties"]["party_name"],
        "Arboga Bostäder"
    );
    // CSV: the pins' conventions (BOM, semicolons, CRLF, formulas defused).
    let text = actions::csv(&list);
    golden("actions.csv", text.as_bytes());
    assert!(text.starts_with('\u{feff}'));
    assert!(!text.contains(";\"=Ny"), "a formula is not left to run");
    // XLSX: one sheet, numbers as numbers, read back.
    let bytes = actions::xlsx(&list).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), vec![actions::SHEET]);
    let range = book.worksheet_range(actions::SHEET).unwrap();
    let mut dump = format!("# {}\n", actions::SHEET);
    for r in range.rows() {
        dump.push_str(&r.iter().map(cell).collect::<Vec<_>>().join(" | "));
        dump.push('\n');
    }
    golden("actions.xlsx.txt", dump.as_bytes());
    assert!(
        dump.contains("| 59.3949 | 15.8438 |"),
        "coordinates are numbers"
    );
    assert!(dump.contains("| 2 |"), "the pin count is a number");
}

#[test]
fn gdal_reads_the_xlsx_with_typed_columns_and_both_sheets() {
    let mut pins = fixture();
    // Control characters and a literal escape-like text come back as they were stored.
    pins[2].comment = Some("rad\u{1}ett _x0041_ slut".into());
    let (_dir, path) = temp_file("pins.xlsx", &xlsx_bytes(&pins));
    let sheet = ogrinfo(&["-oo", "HEADERS=FORCE", "-oo", "FIELD_TYPES=AUTO"], &path);
    assert!(sheet.contains("Layer name: Markeringar"), "{sheet}");
    assert!(sheet.contains("Layer name: Hotspots"), "{sheet}");
    assert!(sheet.contains("Feature Count: 3"), "{sheet}");
    for field in [
        "created_at: DateTime",
        "lat: Real",
        "agree_count: Integer",
        "comment_approved: Integer(Boolean)",
        "status_changed_at: DateTime",
    ] {
        assert!(sheet.contains(field), "{field}: {sheet}");
    }
    assert!(
        sheet.contains("created_at (DateTime) = 2026/11/26 18:00:00"),
        "{sheet}"
    );
    assert!(sheet.contains("lat (Real) = 59.3948"), "{sheet}");
    assert!(
        sheet.contains("place_description (String) = Busshållplatsen 🚌"),
        "{sheet}"
    );
    assert!(
        sheet.contains("public_response (String) = =Vi byter lampan; vecka 49."),
        "a text that starts with = stays text: {sheet}"
    );
    // GDAL shows Excel's `_xHHHH_` escapes as they are written (as it does for Excel's own
    // files); calamine, like Excel, turns them back into the stored text.
    assert!(
        sheet.contains("comment (String) = rad_x0001_ett _x005F_x0041_ slut"),
        "{sheet}"
    );
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(std::fs::read(&path).unwrap())).unwrap();
    let range = book.worksheet_range("Markeringar").unwrap();
    assert_eq!(
        range.get_value((3, 10)).map(cell).as_deref(),
        Some("\"rad\\u{1}ett _x0041_ slut\"")
    );
}
