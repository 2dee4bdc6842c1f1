//! iCalendar (RFC 5545) for dialogue sessions.
//!
//! Times are written in UTC (`…Z`), which is unambiguous across daylight-saving changes and needs
//! no VTIMEZONE; calendar apps show them in the reader's local time. Every session keeps its UID,
//! and SEQUENCE grows with every change, so an updated or cancelled session replaces the one in
//! the reader's calendar.

use jiff::Timestamp;

use crate::storage::DialogueRow;

pub const PRODID: &str = "-//Arboga kommun//Trygghetskartan//SV";

/// Escapes TEXT values (RFC 5545 3.3.11).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character, and ends
/// it with CRLF.
pub fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn utc(unix: i64) -> String {
    Timestamp::from_second(unix)
        .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_default()
}

/// A VCALENDAR with one VEVENT per session. `url_of` gives the link back to a session.
pub fn calendar(name: &str, dialogues: &[DialogueRow], url_of: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        &format!("PRODID:{PRODID}"),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold(line, &mut out);
    }
    fold(&format!("X-WR-CALNAME:{}", escape(name)), &mut out);
    for d in dialogues {
        let mut lines = vec![
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}@trygghetskartan", d.id),
            format!("DTSTAMP:{}", utc(d.updated_at)),
            format!("DTSTART:{}", utc(d.starts_at)),
            format!("DTEND:{}", utc(d.ends_at)),
            format!("SEQUENCE:{}", d.sequence),
            format!(
                "STATUS:{}",
                if d.status == "cancelled" {
                    "CANCELLED"
                } else {
                    "CONFIRMED"
                }
            ),
            format!("SUMMARY:{}", escape(&d.title)),
        ];
        let mut description = d.description.clone();
        if let Some(reason) = d
            .cancel_reason
            .as_deref()
            .filter(|_| d.status == "cancelled")
        {
            description = format!("INSTÄLLD: {reason}\n\n{description}");
        }
        if let Some(link) = &d.online_url {
            description.push_str(&format!("\n\nLänk till mötet: {link}"));
        }
        if let Some(link) = &d.registration_url {
            description.push_str(&format!("\n\nAnmälan: {link}"));
        }
        if d.outcome.closed_at.is_some() {
            description.push_str(&format!("\n\nVad vi hörde: {}", url_of(&d.id)));
        }
        lines.push(format!("DESCRIPTION:{}", escape(description.trim())));
        lines.push(format!("LOCATION:{}", escape(&d.place_name)));
        lines.push(format!("GEO:{:.6};{:.6}", d.lat, d.lon));
        lines.push(format!("URL:{}", url_of(&d.id)));
        lines.push("END:VEVENT".to_owned());
        for line in lines {
            fold(&line, &mut out);
        }
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        fold(&format!("SUMMARY:{}", "å".repeat(60)), &mut out);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "å".repeat(60)));
    }
}
