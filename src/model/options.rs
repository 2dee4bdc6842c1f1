//! Options a host page gives the widget in data attributes, parsed without a browser.

use crate::geo::LonLat;
use crate::i18n::Lang;

/// Options read from the host element's data attributes (`config_from` in lib.rs).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WidgetConfig {
    /// `data-api`: where the API and the basemap are served; "" is the page's own origin.
    pub api_base: String,
    pub lang: Lang,
    /// `data-view`: where the map opens.
    pub start: Option<StartView>,
    /// `data-sections`: what is shown besides the map.
    pub sections: Sections,
}

/// `data-view="lat,lon,zoom"`: where the map opens instead of Arboga tätort.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StartView {
    pub at: LonLat,
    pub zoom: f64,
}

/// Zoom levels a start view may ask for (the kommun to a street corner).
pub const START_ZOOM: std::ops::RangeInclusive<f64> = 9.0..=18.0;

/// `"59.3968,15.841,15"` → the view; `None` for anything else (the default view is used).
pub fn parse_view(text: &str) -> Option<StartView> {
    let parts: Vec<f64> = text
        .split(',')
        .map(|p| decimal(p.trim()))
        .collect::<Option<_>>()?;
    let [lat, lon, zoom] = parts[..] else {
        return None;
    };
    ((-85.0..=85.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some(StartView {
        at: LonLat::lat_lon(lat, lon),
        zoom: zoom.clamp(*START_ZOOM.start(), *START_ZOOM.end()),
    })
}

/// A plain decimal number (`-12`, `59.3968`, `.5`): an optional sign, digits and at most one
/// point; decimals past the 15th digit are dropped, an integer part longer than that is refused.
/// Anything else (exponents, `NaN`, `inf`, hex) is `None`.
/// Correctly rounded to its first 15 digits: those digits as an integer and the power of ten
/// are both exact in an `f64`, so one division rounds once. Not `str::parse::<f64>`: that
/// pulls core's general float parser and its 10 KB table of powers of five into the residents'
/// first screen (docs/PERFORMANCE.md, "The first screen under 200 KB").
pub fn decimal(text: &str) -> Option<f64> {
    let (negative, digits) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        all => (false, all),
    };
    let mut mantissa: u64 = 0;
    let (mut count, mut decimals, mut point) = (0u32, 0u32, false);
    for &b in digits {
        match b {
            // Past 15 digits an f64 holds no more: further decimals are dropped (a
            // coordinate a script printed, `15.849999999999998`); a longer integer is refused.
            b'0'..=b'9' if count >= 15 => {
                if !point {
                    return None;
                }
            }
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                count += 1;
                decimals += u32::from(point);
            }
            b'.' if !point => point = true,
            _ => return None,
        }
    }
    if count == 0 {
        return None;
    }
    // Every power of ten up to 1e15 and every integer below 2^53 (> 10^15) is an exact f64.
    let value = mantissa as f64
        / [
            1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        ][decimals as usize];
    Some(if negative { -value } else { value })
}

/// Which parts of the widget a page shows besides the map (`data-sections`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sections {
    /// "Markera en otrygg plats" and the form.
    pub report: bool,
    /// The dialogue sessions: list and map markers.
    pub dialogues: bool,
    /// "Mina markeringar".
    pub mine: bool,
    /// "Vad händer?": answers, actions (also on the map) and what dialogues came to.
    pub updates: bool,
}

impl Default for Sections {
    fn default() -> Self {
        Sections {
            report: true,
            dialogues: true,
            mine: true,
            updates: true,
        }
    }
}

/// `"report,dialogues"` → those sections (the map is always shown); missing or empty → all.
/// Unknown names are ignored, so a typo shows less rather than breaking the page.
pub fn parse_sections(text: Option<&str>) -> Sections {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Sections::default();
    };
    let has = |name: &str| text.split(',').any(|p| p.trim().eq_ignore_ascii_case(name));
    Sections {
        report: has("report"),
        dialogues: has("dialogues"),
        mine: has("mine"),
        updates: has("updates"),
    }
}
