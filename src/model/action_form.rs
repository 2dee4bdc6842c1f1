//! The handlingsplan's editor ([`ActionForm`], Åtgärder in the staff view) and the "Vad vi
//! hörde" form that closes a dialogue ([`CloseForm`]). Each gives its request or the first field
//! to fix, named as the server names it (`server::followup` checks the same and more).

use std::collections::BTreeSet;

use trygghetskarta_shared::followup::{MAX_ACTION_TITLE_CHARS, MAX_RESPONSE_CHARS};
use trygghetskarta_shared::{
    Action, ActionInput, ActionParty, ActionState, Category, CloseDialogue, Dialogue,
    DialogueStatus, Hotspot,
};
use uuid::Uuid;

use crate::geo::LonLat;
pub use crate::model::answer::FieldError;

/// How the place of an action is being chosen on the editor's map.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PlaceMode {
    /// A tap sets the point.
    #[default]
    Point,
    /// Each tap adds a corner of the area.
    Draw,
}

/// What choosing a pin on the editor's map did (what the editor announces).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinToggle {
    /// The pin is now linked to the action.
    Added,
    /// The pin was linked and no longer is.
    Removed,
    /// No pin lay near enough to where the map was tapped (or to its centre).
    NoneNear,
}

/// The action editor's fields as its inputs hold them.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionForm {
    pub title: String,
    pub description: String,
    pub party: ActionParty,
    /// The other party's name (with `ActionParty::Other` only).
    pub party_name: String,
    /// The point, when one was chosen; else the area's centre is sent.
    pub point: Option<LonLat>,
    /// The area's corners (open ring: the server closes it).
    pub area: Vec<LonLat>,
    pub mode: PlaceMode,
    /// `YYYY-MM-DD` or empty.
    pub starts_on: String,
    pub target_on: String,
    pub state: ActionState,
    pub cancel_reason: String,
    pub pins: Vec<Uuid>,
    pub dialogues: Vec<Uuid>,
    pub update_pins: bool,
}

impl Default for ActionForm {
    /// A new action: planned by the kommun, updating its pins' states.
    fn default() -> ActionForm {
        ActionForm {
            title: String::new(),
            description: String::new(),
            party: ActionParty::Kommun,
            party_name: String::new(),
            point: None,
            area: Vec::new(),
            mode: PlaceMode::Point,
            starts_on: String::new(),
            target_on: String::new(),
            state: ActionState::Planned,
            cancel_reason: String::new(),
            pins: Vec::new(),
            dialogues: Vec::new(),
            update_pins: true,
        }
    }
}

/// A ring of `[lon, lat]` without its closing point.
fn open_ring(ring: &[[f64; 2]]) -> Vec<LonLat> {
    let mut out: Vec<LonLat> = ring
        .iter()
        .map(|[lon, lat]| LonLat::lat_lon(*lat, *lon))
        .collect();
    if out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    out
}

impl ActionForm {
    /// The form for changing an action.
    pub fn from_action(a: &Action) -> ActionForm {
        let area = a.area.as_deref().map(open_ring).unwrap_or_default();
        ActionForm {
            title: a.title.clone(),
            description: a.description.clone(),
            party: a.party,
            party_name: a.party_name.clone().unwrap_or_default(),
            // With an area, the stored point is its centre: keep it only without one.
            point: area.is_empty().then(|| LonLat::lat_lon(a.lat, a.lon)),
            mode: if area.is_empty() {
                PlaceMode::Point
            } else {
                PlaceMode::Draw
            },
            area,
            starts_on: a.starts_on.clone().unwrap_or_default(),
            target_on: a.target_on.clone().unwrap_or_default(),
            state: a.state,
            cancel_reason: a.cancel_reason.clone().unwrap_or_default(),
            pins: a.pins.clone(),
            dialogues: a.dialogues.clone(),
            update_pins: true,
        }
    }

    /// "Skapa åtgärd här": a new action over a hotspot: its outline as the area (its centre
    /// when the pins lie on a line), its pins, its name as the title.
    pub fn from_hotspot(h: &Hotspot, name: &str) -> ActionForm {
        let mut f = ActionForm {
            title: name.chars().take(MAX_ACTION_TITLE_CHARS).collect(),
            ..ActionForm::default()
        };
        f.use_hotspot(h);
        f
    }

    /// Takes a hotspot's outline as the area (or its centre as the point) and adds its pins.
    pub fn use_hotspot(&mut self, h: &Hotspot) {
        let ring = open_ring(&h.outline);
        if ring.len() >= 3 {
            self.area = ring;
            self.point = None;
            self.mode = PlaceMode::Draw;
        } else {
            self.area.clear();
            self.point = Some(LonLat::lat_lon(h.lat, h.lon));
            self.mode = PlaceMode::Point;
        }
        self.add_pins(h.pins.iter().copied());
    }

    /// A tap on the editor's map: the point, or another corner.
    pub fn tap(&mut self, at: LonLat) {
        match self.mode {
            PlaceMode::Point => {
                self.point = Some(at);
                self.area.clear();
            }
            PlaceMode::Draw => {
                self.area.push(at);
                self.point = None;
            }
        }
    }

    /// Links pins (each once, in the order first added).
    pub fn add_pins(&mut self, ids: impl IntoIterator<Item = Uuid>) {
        for id in ids {
            if !self.pins.contains(&id) {
                self.pins.push(id);
            }
        }
    }

    /// A pin chosen on the editor's map: linked when it was not, unlinked when it was.
    pub fn toggle_pin(&mut self, id: Uuid) -> PinToggle {
        toggle(&mut self.pins, id);
        if self.pins.contains(&id) {
            PinToggle::Added
        } else {
            PinToggle::Removed
        }
    }

    /// A tap (or Enter) in "Välj markeringar på kartan" with the pin found near it, if any.
    pub fn pick_pin(&mut self, found: Option<Uuid>) -> PinToggle {
        match found {
            Some(id) => self.toggle_pin(id),
            None => PinToggle::NoneNear,
        }
    }

    pub fn toggle_dialogue(&mut self, id: Uuid) {
        toggle(&mut self.dialogues, id);
    }

    /// Where the action is: the point, or the area's centre (the mean of its corners, inside
    /// any convex area).
    pub fn place(&self) -> Option<LonLat> {
        if let Some(p) = self.point {
            return Some(p);
        }
        if self.area.len() < 3 {
            return None;
        }
        let n = self.area.len() as f64;
        let (lat, lon) = self
            .area
            .iter()
            .fold((0.0, 0.0), |(la, lo), p| (la + p.lat, lo + p.lon));
        Some(LonLat::lat_lon(lat / n, lon / n))
    }

    /// The request, or the first field to fix. `may_link_pins`: organisers may not change an
    /// action's pins, so theirs sends none (the server then leaves the links as they are).
    pub fn to_input(&self, may_link_pins: bool) -> Result<ActionInput, FieldError> {
        let trimmed = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let title = trimmed(&self.title).ok_or(("title", "required"))?;
        if title.chars().count() > MAX_ACTION_TITLE_CHARS {
            return Err(("title", "too_long"));
        }
        let party_name = match self.party {
            ActionParty::Other => {
                Some(trimmed(&self.party_name).ok_or(("party_name", "required"))?)
            }
            _ => None,
        };
        if !self.area.is_empty() && self.area.len() < 3 && self.point.is_none() {
            return Err(("area", "too_few"));
        }
        let at = self.place().ok_or(("place", "required"))?;
        let starts_on = trimmed(&self.starts_on);
        let target_on = trimmed(&self.target_on);
        if let (Some(s), Some(t)) = (&starts_on, &target_on) {
            if t < s {
                return Err(("target_on", "before_start"));
            }
        }
        let cancel_reason = match self.state {
            ActionState::Cancelled => {
                let r = trimmed(&self.cancel_reason).ok_or(("cancel_reason", "required"))?;
                if r.chars().count() > MAX_RESPONSE_CHARS {
                    return Err(("cancel_reason", "too_long"));
                }
                Some(r)
            }
            _ => None,
        };
        let area = (self.point.is_none() && self.area.len() >= 3).then(|| {
            let mut ring: Vec<[f64; 2]> = self.area.iter().map(|p| [p.lon, p.lat]).collect();
            ring.push(ring[0]);
            ring
        });
        Ok(ActionInput {
            title,
            description: self.description.trim().to_owned(),
            party: self.party,
            party_name,
            lat: at.lat,
            lon: at.lon,
            area,
            starts_on,
            target_on,
            state: self.state,
            cancel_reason,
            pins: if may_link_pins {
                self.pins.clone()
            } else {
                Vec::new()
            },
            dialogues: self.dialogues.clone(),
            update_pins: self.update_pins,
        })
    }
}

/// Adds `id` at the end, or removes it when it is there.
fn toggle(list: &mut Vec<Uuid>, id: Uuid) {
    if let Some(i) = list.iter().position(|x| *x == id) {
        list.remove(i);
    } else {
        list.push(id);
    }
}

/// Pin ids pasted into the editor (separated by spaces, commas or lines; a link with
/// `?pin=<id>` counts too), or the first piece that is no id.
pub fn parse_pin_ids(text: &str) -> Result<Vec<Uuid>, String> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|t| !t.is_empty())
        .map(|t| {
            let id = t.rsplit("pin=").next().unwrap_or(t);
            let id = id.split('&').next().unwrap_or(id);
            Uuid::parse_str(id).map_err(|_| t.to_owned())
        })
        .collect()
}

/// Filters of Åtgärder's list: every state, or one.
pub fn filter_actions(list: &[Action], state: Option<ActionState>) -> Vec<Action> {
    list.iter()
        .filter(|a| state.is_none_or(|s| a.state == s))
        .cloned()
        .collect()
}

/// "Vad vi hörde": the close form's fields as typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CloseForm {
    pub summary: String,
    pub participants: String,
    pub themes: BTreeSet<Category>,
    pub other_themes: String,
    pub actions: Vec<Uuid>,
}

impl CloseForm {
    pub fn toggle_theme(&mut self, c: Category) {
        if !self.themes.remove(&c) {
            self.themes.insert(c);
        }
    }

    pub fn toggle_action(&mut self, id: Uuid) {
        toggle(&mut self.actions, id);
    }

    /// The request, or the first field to fix.
    pub fn to_input(&self) -> Result<CloseDialogue, FieldError> {
        let summary = self.summary.trim().to_owned();
        if summary.is_empty() {
            return Err(("summary", "required"));
        }
        let participants = self
            .participants
            .trim()
            .parse::<u32>()
            .map_err(|_| ("participants", "number"))?;
        let other = self.other_themes.trim();
        Ok(CloseDialogue {
            summary,
            participants,
            // In the order of the categories.
            themes: Category::ALL
                .iter()
                .copied()
                .filter(|c| self.themes.contains(c))
                .collect(),
            other_themes: (!other.is_empty()).then(|| other.to_owned()),
            actions: self.actions.clone(),
        })
    }
}

/// Seconds since 1970 of an RFC 3339 time (`2027-05-11T19:30:00+02:00`, `...Z`, fractions
/// allowed).
pub fn unix_seconds(rfc3339: &str) -> Option<i64> {
    let num = |r: std::ops::Range<usize>| rfc3339.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let rest = rfc3339.get(19..)?;
    let rest = rest.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let offset = if rest == "Z" || rest == "z" {
        0
    } else {
        let sign = match rest.get(0..1)? {
            "+" => 1,
            "-" => -1,
            _ => return None,
        };
        let oh: i64 = rest.get(1..3)?.parse().ok()?;
        let om: i64 = rest.get(4..6)?.parse().ok()?;
        sign * (oh * 3600 + om * 60)
    };
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + s - offset)
}

/// Whether a session may be closed with "Vad vi hörde" now (`now`: seconds since 1970): it has
/// ended, was not cancelled and has no outcome yet.
pub fn can_close(d: &Dialogue, now: i64) -> bool {
    d.status != DialogueStatus::Cancelled
        && d.outcome.is_none()
        && unix_seconds(&d.ends_at).is_some_and(|end| end <= now)
}
