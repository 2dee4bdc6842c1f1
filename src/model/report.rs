//! The report a resident is writing: its state, validation with Swedish/English messages, the
//! request it becomes, and the named places to report at without the map.

use trygghetskarta_shared::pin::{valid_email, MAX_COMMENT_CHARS};
use trygghetskarta_shared::{Category, NewPin, PublicPin, TimeOfDay};
use uuid::Uuid;

use crate::geo::basemap::{Basemap, Layer, PlaceKind};
use crate::geo::mercator::unproject;
use crate::geo::{distance_m, LonLat};
use crate::i18n::Strings;

/// Where the report flow is.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// The map is just a map.
    Idle,
    /// Choosing the place: a crosshair in the centre, or a draft pin where the user tapped.
    Placing { draft: Option<LonLat> },
    /// The form, for a place on the map, or (reporting without the map) a named place that is
    /// `None` until chosen from the list.
    Form {
        at: Option<LonLat>,
        place_name: Option<String>,
    },
}

/// The form's fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    pub category: Option<Category>,
    pub time_of_day: Option<TimeOfDay>,
    pub comment: String,
    pub place_description: String,
    /// The hidden honeypot field.
    pub website: String,
    /// "Vill du få ett mejl …": asked for, and the address.
    pub notify: bool,
    pub email: String,
}

/// A field the user must fix, with what is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    CategoryMissing,
    TimeMissing,
    CommentTooLong,
    /// Reporting without the map, no place was chosen from the list.
    PlaceMissing,
    /// E-mail asked for, but the address does not look like one.
    EmailInvalid,
}

impl Problem {
    /// The form field the problem belongs to (its element id suffix).
    pub fn field(self) -> &'static str {
        match self {
            Problem::CategoryMissing => "category",
            Problem::TimeMissing => "time_of_day",
            Problem::CommentTooLong => "comment",
            Problem::PlaceMissing => "place",
            Problem::EmailInvalid => "notify_email",
        }
    }
}

// Defined here rather than in i18n, so that i18n depends on nothing in the widget.
impl Strings {
    /// What the form says beside a field with this problem.
    pub fn problem(&self, p: Problem) -> &'static str {
        match p {
            Problem::CategoryMissing => self.err_category,
            Problem::TimeMissing => self.err_time,
            Problem::CommentTooLong => self.err_comment,
            Problem::PlaceMissing => self.err_place,
            Problem::EmailInvalid => self.err_email,
        }
    }
}

/// Characters the comment counter shows (what the server counts: trimmed).
pub fn comment_chars(comment: &str) -> usize {
    comment.trim().chars().count()
}

impl Draft {
    /// Everything wrong with the draft, in form order. Empty means it can be sent.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.category.is_none() {
            out.push(Problem::CategoryMissing);
        }
        if self.time_of_day.is_none() {
            out.push(Problem::TimeMissing);
        }
        if comment_chars(&self.comment) > MAX_COMMENT_CHARS {
            out.push(Problem::CommentTooLong);
        }
        if self.notify && !valid_email(self.email.trim()) {
            out.push(Problem::EmailInvalid);
        }
        out
    }

    /// The request, with a fresh id, or the problems.
    pub fn to_request(
        &self,
        id: Uuid,
        at: LonLat,
        place_name: Option<&str>,
    ) -> Result<NewPin, Vec<Problem>> {
        let problems = self.problems();
        let (Some(category), Some(time_of_day), true) =
            (self.category, self.time_of_day, problems.is_empty())
        else {
            return Err(problems);
        };
        let text = |s: &str| {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_owned())
        };
        let description = match (place_name, text(&self.place_description)) {
            (Some(name), Some(d)) => Some(format!("{name}: {d}")),
            (Some(name), None) => Some(name.to_owned()),
            (None, d) => d,
        };
        Ok(NewPin {
            notify_email: self.notify.then(|| self.email.trim().to_owned()),
            id,
            lat: at.lat,
            lon: at.lon,
            category,
            time_of_day,
            comment: text(&self.comment),
            place_description: description,
            website: text(&self.website),
        })
    }
}

/// Radius for "others have marked a place nearby".
pub const NEARBY_M: f64 = 50.0;

/// Public pins of the same category within [`NEARBY_M`] of `at`, nearest first. Public pins are
/// snapped to a grid (up to ~28 m off), so the radius is measured to the cell centre plus that.
pub fn nearby_same(pins: &[PublicPin], at: LonLat, category: Category) -> Vec<&PublicPin> {
    let mut near: Vec<(f64, &PublicPin)> = pins
        .iter()
        .filter(|p| p.category == category)
        .map(|p| (distance_m(at, LonLat::lat_lon(p.lat, p.lon)), p))
        .filter(|(d, _)| *d <= NEARBY_M + 28.0)
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0));
    near.into_iter().map(|(_, p)| p).collect()
}

/// The box `(min_lon, min_lat, max_lon, max_lat)` that holds every public position
/// [`nearby_same`] can find around `at`: what the widget asks the server for.
pub fn nearby_bbox(at: LonLat) -> (f64, f64, f64, f64) {
    // Metres per degree, with 10 % to spare.
    let reach = (NEARBY_M + 28.0) * 1.1;
    let dlat = reach / 111_000.0;
    let dlon = reach / (111_000.0 * crate::geo::sin_cos(at.lat.to_radians()).1);
    (at.lon - dlon, at.lat - dlat, at.lon + dlon, at.lat + dlat)
}

/// Named places in the kommun for reporting without the map, alphabetically: the tätorter (at
/// their centre) and the basemap's place names (not lakes), each name once.
pub fn place_choices(basemap: &Basemap) -> Vec<(String, LonLat)> {
    let mut out: Vec<(String, LonLat)> = basemap
        .areas
        .iter()
        .filter(|a| a.layer == Layer::Tatort && a.in_kommun)
        .map(|a| (a.name.clone(), unproject(a.bounds.center())))
        .chain(
            basemap
                .places
                .iter()
                .filter(|p| p.kind != PlaceKind::Water && basemap.in_kommun(p.world))
                .map(|p| (p.name.clone(), p.position)),
        )
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}
