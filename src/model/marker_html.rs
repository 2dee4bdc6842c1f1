//! The pin layer's markers as HTML, and what changes between two lists of them.
//!
//! The layer writes the buttons a relayout adds as one HTML string the browser parses in one call,
//! instead of creating each button, its five attributes and a render effect for its style through
//! the framework: the relayout of a long pan makes ~50 buttons at once, and that frame sets the
//! pan's slowest frame times (docs/PERFORMANCE.md).

use std::collections::HashMap;
use std::fmt::Write;

use trygghetskarta_shared::{PinStatus, PublicPin};

use crate::geo::markers::{Marker, MarkerKey, What};
use crate::geo::{fixed, Screen};
use crate::i18n::{fill, Strings};

/// What a marker's button says and looks like.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Face {
    /// Classes after `tk-marker tk-cat-{category}`: `tk-pin` (with its state's badge) or
    /// `tk-cluster`.
    pub kind: String,
    /// Its accessible name.
    pub label: String,
    /// A cluster shows its count (its accessible name is the label).
    pub count: Option<u32>,
}

/// The badge class of a state beyond "Mottagen" (its glyph tells it, not only its colour).
pub fn state_class(status: PinStatus) -> String {
    if status == PinStatus::Received {
        String::new()
    } else {
        format!(" tk-st tk-st-{}", status.code())
    }
}

/// The face of `m`; `listed` is the pin a [`What::Listed`] marker stands for.
pub fn face(m: &Marker, s: &Strings, listed: Option<&PublicPin>) -> Face {
    match m.what {
        What::Listed(_) => Face {
            kind: format!(
                "tk-pin{}",
                listed.map(|p| state_class(p.status)).unwrap_or_default()
            ),
            label: listed.map(|p| s.pin_label(p)).unwrap_or_default(),
            count: None,
        },
        What::Pin {
            time_of_day,
            status,
            ..
        } => Face {
            kind: format!("tk-pin{}", state_class(status)),
            label: s.pin_marker_label(m.category, time_of_day, status),
            count: None,
        },
        What::Place { .. } | What::Cluster { .. } => Face {
            kind: "tk-cluster".to_owned(),
            label: fill(s.cluster_label, m.count),
            count: Some(m.count),
        },
    }
}

/// The style that places a marker at `p` in the layer: margins in its batch's one grid cell
/// (`.tk-batch` in style.css), not `left`/`top`. A positioned element is a paint layer of its own,
/// and the hit test that finds each wheel event's target walks every paint layer under the
/// pointer: 1.5–1.9 ms a wheel step on a 4x throttled CPU with the markers of 10 000 pins, 0.8–1.0
/// as grid items (docs/PERFORMANCE.md).
pub fn style_at(p: Screen) -> String {
    format!("margin: {}px 0 0 {}px", fixed(p.y, 1), fixed(p.x, 1))
}

/// Appends `m`'s button to `out`.
pub fn push_button(out: &mut String, m: &Marker, face: &Face, style: &str) {
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        r#"<button type="button" class="tk-marker tk-cat-{} "#,
        m.category.code()
    );
    push_escaped(out, &face.kind);
    // The key the layer's click handler finds the marker by.
    let _ = write!(out, r#"" data-key="{}" style=""#, m.dom_key());
    push_escaped(out, style);
    out.push_str(r#"" aria-label=""#);
    push_escaped(out, &face.label);
    out.push_str(r#"">"#);
    if let Some(n) = face.count {
        let _ = write!(out, "{n}");
    }
    out.push_str("</button>");
}

/// `text` as an attribute value or text content: `&`, `<`, `>`, `"` and `'` as references.
fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// What turns the markers shown into `next`: the keys of those that go, and the positions in
/// `next` of those that are new. Markers in both stay as they are (a focused one keeps focus).
pub fn changes<E>(shown: &HashMap<MarkerKey, E>, next: &[Marker]) -> (Vec<MarkerKey>, Vec<usize>) {
    let staying: std::collections::HashSet<MarkerKey> = next.iter().map(|m| m.key).collect();
    let gone = shown
        .keys()
        .filter(|k| !staying.contains(k))
        .copied()
        .collect();
    let new = next
        .iter()
        .enumerate()
        .filter(|(_, m)| !shown.contains_key(&m.key))
        .map(|(i, _)| i)
        .collect();
    (gone, new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::World;
    use crate::i18n::Lang;
    use trygghetskarta_shared::tile::GridCell;
    use trygghetskarta_shared::{Category, TimeOfDay};

    fn marker(a: i64, what: What, count: u32) -> Marker {
        Marker {
            key: MarkerKey {
                level: 14,
                a,
                b: -3,
                content: 7,
            },
            world: World { x: 0.5, y: 0.5 },
            count,
            category: Category::ALL[0],
            what,
        }
    }

    #[test]
    fn a_cluster_shows_its_count_and_is_named_by_its_label() {
        let s = Lang::Sv.strings();
        let m = marker(2, What::Cluster { split_zoom: None }, 12);
        let f = face(&m, s, None);
        let mut html = String::new();
        push_button(&mut html, &m, &f, &style_at(Screen { x: 10.25, y: -3.0 }));
        assert_eq!(
            html,
            format!(
                r#"<button type="button" class="tk-marker tk-cat-{} tk-cluster" data-key="14:2:-3" style="margin: -3.0px 0 0 10.3px" aria-label="12 markeringar">12</button>"#,
                Category::ALL[0].code()
            )
        );
    }

    #[test]
    fn a_pin_is_named_by_category_time_and_state_with_no_count() {
        let s = Lang::En.strings();
        let what = What::Pin {
            cell: GridCell::of(59.39, 15.84),
            time_of_day: TimeOfDay::ALL[0],
            status: PinStatus::Done,
        };
        let m = marker(1, what, 1);
        let f = face(&m, s, None);
        assert_eq!(f.kind, format!("tk-pin{}", state_class(PinStatus::Done)));
        assert_eq!(
            f.label,
            s.pin_marker_label(Category::ALL[0], TimeOfDay::ALL[0], PinStatus::Done)
        );
        assert_eq!(f.count, None);
        let mut html = String::new();
        push_button(&mut html, &m, &f, "");
        assert!(html.ends_with("\"></button>"), "{html}");
    }

    #[test]
    fn markup_in_a_label_is_text() {
        let m = marker(1, What::Cluster { split_zoom: None }, 2);
        let f = Face {
            kind: "tk-cluster".into(),
            label: r#"a "b" <c> & 'd'"#.into(),
            count: None,
        };
        let mut html = String::new();
        push_button(&mut html, &m, &f, "");
        assert!(
            html.contains(r#"aria-label="a &quot;b&quot; &lt;c&gt; &amp; &#39;d&#39;""#),
            "{html}"
        );
    }

    #[test]
    fn changes_keep_what_stays_and_name_what_goes_and_comes() {
        let a = marker(1, What::Cluster { split_zoom: None }, 2);
        let b = marker(2, What::Cluster { split_zoom: None }, 3);
        let c = marker(3, What::Cluster { split_zoom: None }, 4);
        let shown: HashMap<MarkerKey, ()> = [(a.key, ()), (b.key, ())].into();
        let (gone, new) = changes(&shown, &[c, b]);
        assert_eq!(gone, vec![a.key]);
        assert_eq!(new, vec![0]);
        // A marker whose content changed is another button.
        let mut b2 = b;
        b2.key.content = 8;
        let (mut gone, new) = changes(&shown, &[b2, a]);
        gone.sort_by_key(|k| k.a);
        assert_eq!(gone, vec![b.key]);
        assert_eq!(new, vec![0]);
    }
}
