//! Host page options from data attributes.

use trygghetskarta::model::options::{parse_sections, parse_view, Sections};

#[test]
fn a_start_view_is_lat_lon_zoom() {
    let v = parse_view("59.3968, 15.841, 15").unwrap();
    assert_eq!((v.at.lat, v.at.lon, v.zoom), (59.3968, 15.841, 15.0));
    // The zoom is kept within what the map shows; nonsense gives the default view.
    assert_eq!(parse_view("59.4,15.8,25").unwrap().zoom, 18.0);
    for bad in [
        "",
        "59.4,15.8",
        "59.4,15.8,x",
        "95,15,12",
        "NaN,1,12",
        "1,2,3,4",
    ] {
        assert_eq!(parse_view(bad), None, "{bad}");
    }
}

#[test]
fn sections_default_to_everything_and_can_be_narrowed() {
    assert_eq!(parse_sections(None), Sections::default());
    assert_eq!(parse_sections(Some(" ")), Sections::default());
    assert_eq!(
        parse_sections(Some("dialogues")),
        Sections {
            report: false,
            dialogues: true,
            mine: false,
            updates: false
        }
    );
    assert_eq!(
        parse_sections(Some("Report, mine, typo")),
        Sections {
            report: true,
            dialogues: false,
            mine: true,
            updates: false
        }
    );
}

#[test]
fn a_decimal_is_read_exactly_and_nothing_else_is_a_number() {
    use trygghetskarta::model::options::decimal;
    for text in [
        "59.3968",
        "15.841",
        "-0.5",
        "+12",
        "7.",
        ".25",
        "0.1",
        "123456789012345",
    ] {
        assert_eq!(decimal(text), text.parse::<f64>().ok(), "{text}");
    }
    assert_eq!(decimal("59.4533012345678"), Some(59.4533012345678));
    // A coordinate as a script prints it: the digits past the 15th are dropped.
    assert_eq!(decimal("15.849999999999998"), Some(15.8499999999999));
    assert_eq!(decimal("-0.0000000000000001"), Some(-0.0));
    for bad in [
        "",
        "-",
        ".",
        "1.2.3",
        "1e5",
        "NaN",
        "inf",
        "0x10",
        " 1",
        "1,5",
        "--1",
        "1234567890123456",
    ] {
        assert_eq!(decimal(bad), None, "{bad}");
    }
}
