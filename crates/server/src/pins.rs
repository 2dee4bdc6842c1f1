//! Pin rules: validation of reports and what the public may see of them.

use trygghetskarta_shared::pin::{MAX_COMMENT_CHARS, MAX_PLACE_DESCRIPTION_CHARS};
use trygghetskarta_shared::{Category, NewPin, TimeOfDay};
use uuid::Uuid;

use crate::area;
use crate::error::{ApiResult, AppError};
use crate::storage::PinRow;

/// A report that passed validation, normalised (trimmed, control characters removed).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidPin {
    pub id: Uuid,
    pub lat: f64,
    pub lon: f64,
    pub category: Category,
    pub time_of_day: TimeOfDay,
    pub comment: Option<String>,
    pub place_description: Option<String>,
    /// The honeypot was filled in: accept, store nothing.
    pub is_bot: bool,
    /// The resident's opt-in address for news about this pin.
    pub notify_email: Option<String>,
}

/// Removes control characters (keeping line breaks), normalises line ends, trims, and turns an
/// empty text into `None`. Fails when longer than `max` characters.
pub fn clean_text(field: &str, text: Option<String>, max: usize) -> ApiResult<Option<String>> {
    let Some(text) = text else { return Ok(None) };
    let cleaned: String = text
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect();
    let trimmed = cleaned.trim();
    let count = trimmed.chars().count();
    if count > max {
        return Err(AppError::invalid(
            "too_long",
            field,
            format!("At most {max} characters ({count} given)."),
        ));
    }
    Ok((!trimmed.is_empty()).then(|| trimmed.to_owned()))
}

pub fn validate(new: NewPin) -> ApiResult<ValidPin> {
    if new.id.get_version_num() != 4 {
        return Err(AppError::validation(
            "id",
            "The id must be a random (version 4) UUID.",
        ));
    }
    if !new.lat.is_finite() || !(-90.0..=90.0).contains(&new.lat) {
        return Err(AppError::validation(
            "lat",
            "Latitude must be a number from -90 to 90.",
        ));
    }
    if !new.lon.is_finite() || !(-180.0..=180.0).contains(&new.lon) {
        return Err(AppError::validation(
            "lon",
            "Longitude must be a number from -180 to 180.",
        ));
    }
    if !area::in_kommun(new.lat, new.lon) {
        return Err(AppError::invalid(
            "outside_area",
            "lat",
            "The place is outside Arboga kommun.",
        ));
    }
    Ok(ValidPin {
        id: new.id,
        lat: new.lat,
        lon: new.lon,
        category: new.category,
        time_of_day: new.time_of_day,
        comment: clean_text("comment", new.comment, MAX_COMMENT_CHARS)?,
        place_description: clean_text(
            "place_description",
            new.place_description,
            MAX_PLACE_DESCRIPTION_CHARS,
        )?,
        is_bot: new.website.is_some_and(|w| !w.trim().is_empty()),
        notify_email: new
            .notify_email
            .map(|e| e.trim().to_owned())
            .filter(|e| !e.is_empty())
            .map(|e| {
                if crate::mail::valid_email(&e) {
                    Ok(e)
                } else {
                    Err(AppError::validation(
                        "notify_email",
                        "That does not look like an e-mail address.",
                    ))
                }
            })
            .transpose()?,
    })
}

impl ValidPin {
    /// Whether a stored pin is the same report (an idempotent retry).
    pub fn same_as(&self, row: &PinRow) -> bool {
        row.lat == self.lat
            && row.lon == self.lon
            && row.category == self.category.code()
            && row.time_of_day == self.time_of_day.code()
            && row.comment == self.comment
            && row.place_description == self.place_description
    }
}

/// `minLon,minLat,maxLon,maxLat`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
}

pub fn parse_bbox(s: &str) -> ApiResult<BBox> {
    let bad = || {
        AppError::bad_request(
            Some("bbox"),
            "bbox must be minLon,minLat,maxLon,maxLat in degrees, min before max.",
        )
    };
    let v = s
        .split(',')
        .map(|p| p.trim().parse::<f64>().ok().filter(|f| f.is_finite()))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(bad)?;
    let [min_lon, min_lat, max_lon, max_lat] = v[..] else {
        return Err(bad());
    };
    if min_lon > max_lon || min_lat > max_lat {
        return Err(bad());
    }
    Ok(BBox {
        min_lon,
        min_lat,
        max_lon,
        max_lat,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_stripped_of_control_characters() {
        let t = clean_text(
            "comment",
            Some("  hej\u{0}\u{7}\r\nvärlden\t ".into()),
            1000,
        )
        .unwrap();
        assert_eq!(t.as_deref(), Some("hej\nvärlden"));
        assert_eq!(
            clean_text("comment", Some("  \n ".into()), 10).unwrap(),
            None
        );
        // Length counts characters, not bytes: 1000 å is fine.
        assert!(clean_text("comment", Some("å".repeat(1000)), 1000).is_ok());
        assert!(clean_text("comment", Some("å".repeat(1001)), 1000).is_err());
        // Trimming happens before counting.
        assert!(clean_text("comment", Some(format!("  {}  ", "a".repeat(1000))), 1000).is_ok());
    }

    #[test]
    fn bboxes_parse_or_explain() {
        let b = parse_bbox("15.8,59.3,15.9,59.4").unwrap();
        assert_eq!(b.max_lat, 59.4);
        for bad in [
            "",
            "1,2,3",
            "1,2,3,x",
            "16,59,15,60",
            "1,2,3,4,5",
            "NaN,1,2,3",
        ] {
            assert!(parse_bbox(bad).is_err(), "{bad}");
        }
    }
}
