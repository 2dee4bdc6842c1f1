//! The report flow's state, in context: where the flow is, the draft and what is wrong with it,
//! the outbox and this device's pins; and what the flow does (choose the place, send, agree,
//! close, retry the outbox) as methods, so the form, the map's handlers and the panels all use
//! the same steps.

use leptos::html;
use leptos::prelude::*;
use trygghetskarta_shared::{AgreeResponse, NewPin, PublicPin};
use uuid::Uuid;

use crate::api::{self, ApiBase, ApiError, Attempt};
use crate::components::part::{part, PartFailed, Section};
use crate::device;
use crate::geo::basemap::Basemap;
use crate::geo::mercator::project;
use crate::geo::viewport::Viewport;
use crate::i18n::{Lang, Strings};
use crate::model::followup::Seen;
use crate::model::mine::{Mine, MyPin};
use crate::model::outbox::Outbox;
use crate::model::report::{Draft, Problem, Step};

/// Shared state of the report flow, in context.
#[derive(Clone, Copy)]
pub struct ReportState {
    pub step: RwSignal<Step>,
    pub draft: RwSignal<Draft>,
    pub outbox: RwSignal<Outbox>,
    pub mine: RwSignal<Mine>,
    /// Announced through the live region.
    pub status: RwSignal<String>,
    /// Bumped when the public pins should be fetched again.
    pub pins_version: RwSignal<u32>,
    pub selected: RwSignal<Option<PublicPin>>,
    /// The language, kept here so async tasks (which run outside the component tree) can
    /// reach the strings.
    pub lang: RwSignal<Lang>,
    /// What is wrong with the form, shown beside each field.
    pub problems: RwSignal<Vec<Problem>>,
    /// Why the server refused the report (or the agree), shown in the form.
    pub server_error: RwSignal<Option<&'static str>>,
    /// Pins of the same category nearby: how many, the nearest, and the report waiting to be
    /// sent if the resident sends their own after all.
    pub nearby: RwSignal<Option<(usize, Uuid, NewPin)>>,
    /// The chosen place is outside the kommun.
    pub placing_error: RwSignal<bool>,
    /// "Markera en otrygg plats": focus returns to it when the report closes.
    pub start_button: NodeRef<html::Button>,
    /// The state and answer of this device's pins, as the server has them now.
    pub answers: RwSignal<Vec<PublicPin>>,
    /// This device's pins with an answer it had not shown before this visit.
    pub new_answers: RwSignal<Vec<Uuid>>,
    /// The server offers e-mail about pins (an SMTP relay is configured).
    pub mail_offered: RwSignal<bool>,
    /// "Mina markeringar", opened from "Du har N nya svar".
    pub mine_section: Section,
    /// The outbox was read from the device (by the outbox's part or the form's).
    outbox_read: StoredValue<bool>,
    /// The outbox's retries run (they start with the first report kept on the device).
    outbox_started: StoredValue<bool>,
}

part! {
    outbox;
    /// Reads the outbox and starts its retries (a part: fetched at start only when reports wait on
    /// the device; a report kept offline starts them from the form's part).
    pub fn outbox_part(state: ReportState, base: ApiBase) -> Result<(), PartFailed> {
        state.start_outbox(base);
        Ok(())
    }
}

part! {
    followup;
    /// Asks the server after this device's pins (a part, fetched when the device has sent some).
    pub fn followup_part(state: ReportState, base: ApiBase) -> Result<(), PartFailed> {
        state.refresh_answers(base);
        Ok(())
    }
}

impl ReportState {
    pub fn load(lang: RwSignal<Lang>) -> ReportState {
        ReportState {
            lang,
            step: RwSignal::new(Step::Idle),
            draft: RwSignal::new(Draft::default()),
            // Read by the outbox's part (`start_outbox`), which runs at start when reports wait.
            outbox: RwSignal::new(Outbox::default()),
            mine: RwSignal::new(Mine::from_json(device::get(device::MINE_KEY).as_deref())),
            status: RwSignal::new(String::new()),
            pins_version: RwSignal::new(0),
            selected: RwSignal::new(None),
            problems: RwSignal::new(Vec::new()),
            server_error: RwSignal::new(None),
            nearby: RwSignal::new(None),
            placing_error: RwSignal::new(false),
            start_button: NodeRef::new(),
            answers: RwSignal::new(Vec::new()),
            new_answers: RwSignal::new(Vec::new()),
            mail_offered: RwSignal::new(false),
            mine_section: Section::new(),
            outbox_read: StoredValue::new(false),
            outbox_started: StoredValue::new(false),
        }
    }

    /// At start: the outbox's retries when reports wait on the device (its part is fetched
    /// only then), and the answers to this device's pins when it has sent some.
    pub fn start(self, base: ApiBase) {
        if Outbox::stored_has_pending(device::get(device::OUTBOX_KEY).as_deref()) {
            let base = base.clone();
            leptos::task::spawn_local(async move {
                // Without a network now, the next `online` event tries again.
                if outbox_part(self, base.clone()).await.is_err() {
                    let handle = window_event_listener(leptos::ev::online, move |_| {
                        let base = base.clone();
                        leptos::task::spawn_local(async move {
                            let _ = outbox_part(self, base).await;
                        });
                    });
                    std::mem::forget(handle);
                }
            });
        }
    }

    /// Fetches the answers to this device's sent pins, if it has any (on start and after each
    /// change to the pins).
    pub fn follow_up(self, base: ApiBase) {
        let sent = self
            .mine
            .with_untracked(|m| m.pins.iter().any(|p| p.delete_token.is_some()));
        if sent {
            leptos::task::spawn_local(async move {
                let _ = followup_part(self, base).await;
            });
        }
    }

    /// Asks the server after this device's pins. What changed since the device last showed it
    /// is marked "Nytt svar" for this visit; the device then remembers it as seen (on the device
    /// only: the server learns nothing but the ids it already gave out).
    pub fn refresh_answers(self, base: ApiBase) {
        let ids: Vec<Uuid> = self.mine.with_untracked(|m| {
            m.pins
                .iter()
                .filter(|p| p.delete_token.is_some())
                .map(|p| p.id)
                .collect()
        });
        if ids.is_empty() {
            return;
        }
        leptos::task::spawn_local(async move {
            let Ok(pins) = api::lookup_pins(&base, ids.clone()).await else {
                return;
            };
            let mut seen = Seen::from_json(device::get(device::SEEN_KEY).as_deref());
            let fresh = seen.new_answers(&pins);
            self.new_answers.update(|n| {
                for id in fresh {
                    if !n.contains(&id) {
                        n.push(id);
                    }
                }
            });
            seen.saw(&pins, &ids);
            device::set(device::SEEN_KEY, &seen.to_json());
            self.answers.set(pins);
        });
    }

    /// The current language's strings, outside the component tree (async tasks).
    pub fn strings(&self) -> &'static Strings {
        self.lang.get_untracked().strings()
    }

    /// Reads the outbox from the device, once, before anything changes it.
    fn read_outbox(&self) {
        if self.outbox_read.get_value() {
            return;
        }
        self.outbox_read.set_value(true);
        let stored = Outbox::from_json(device::get(device::OUTBOX_KEY).as_deref());
        self.outbox.update(|o| {
            for p in stored.pending {
                if !o.pending.iter().any(|q| q.pin.id == p.pin.id) {
                    o.pending.push(p);
                }
            }
        });
    }

    /// Writes the outbox now (before the user is told it is saved).
    fn save_outbox(&self) {
        self.outbox
            .with_untracked(|o| device::set(device::OUTBOX_KEY, &o.to_json()));
    }

    fn save_mine(&self) {
        self.mine
            .with_untracked(|m| device::set(device::MINE_KEY, &m.to_json()));
    }

    fn remember(&self, pin: &NewPin, token: Option<String>) {
        self.mine.update(|m| {
            m.upsert(MyPin {
                id: pin.id,
                lat: pin.lat,
                lon: pin.lon,
                category: pin.category,
                time_of_day: pin.time_of_day,
                date: device::today(),
                delete_token: token,
            })
        });
        self.save_mine();
    }

    /// Forgets a report on this device: no more retries, and gone from "Mina markeringar".
    pub fn forget(&self, id: Uuid) {
        self.read_outbox();
        self.outbox.update(|o| o.delivered(id));
        self.save_outbox();
        self.mine.update(|m| m.remove(id));
        self.save_mine();
    }

    /// Ends the report: back to the plain map, the draft and its messages cleared, and focus
    /// back on the start button.
    pub fn close(self) {
        self.step.set(Step::Idle);
        self.draft.set(Draft::default());
        self.problems.set(Vec::new());
        self.server_error.set(None);
        self.nearby.set(None);
        self.placing_error.set(false);
        // The start button is drawn again once the step is Idle: focus it after that render,
        // so focus returns to where the report began instead of falling to the page.
        let start_button = self.start_button;
        request_animation_frame(move || {
            if let Some(b) = start_button.get_untracked() {
                let _ = b.focus();
            }
        });
    }

    /// "Välj den här platsen" (or Enter on the map): the draft pin, or the crosshair in the
    /// centre of `viewport`, becomes the report's place if it lies in the kommun.
    pub fn choose_place(self, viewport: Option<Viewport>, basemap: Option<&Basemap>) {
        let Step::Placing { draft } = self.step.get_untracked() else {
            return;
        };
        let Some(at) = draft.or_else(|| viewport.map(|v| v.center_lonlat())) else {
            return;
        };
        if !basemap.is_none_or(|b| b.in_kommun(project(at))) {
            self.placing_error.set(true);
            return;
        }
        self.placing_error.set(false);
        self.step.set(Step::Form {
            at: Some(at),
            place_name: None,
        });
    }

    /// Sends a report. Sent: remembered with its delete token and the report closes. No
    /// network (or the server failed): kept in the outbox to retry, remembered, closed. Refused:
    /// the reason stays in the form.
    pub async fn send(self, base: ApiBase, req: NewPin) {
        let s = self.strings();
        match api::create_pin(&base, &req).await {
            Ok(created) => {
                self.remember(&req, Some(created.delete_token));
                self.status.set(s.sent.to_owned());
                self.pins_version.update(|v| *v += 1);
                self.close();
            }
            Err(e) if e.is_transient() && !matches!(&e, ApiError::Server { status: 429, .. }) => {
                // Whatever waits from earlier visits is read first, so the save keeps it.
                self.start_outbox(base.clone());
                self.outbox
                    .update(|o| o.push(req.clone(), device::now_ms()));
                self.save_outbox();
                self.remember(&req, None);
                self.status.set(s.saved_offline.to_owned());
                self.close();
            }
            Err(e) => self
                .server_error
                .set(Some(s.api_error(Attempt::Report, &e))),
        }
    }

    /// "Jag känner likadant" for a public pin, once per device. On success it is announced and
    /// the pins are fetched again; the caller decides what a failure shows.
    pub async fn agree(self, base: &ApiBase, pin: Uuid) -> Result<AgreeResponse, ApiError> {
        let s = self.strings();
        let res = api::agree(base, pin, device::device_id()).await?;
        self.status.set(s.agreed.to_owned());
        self.pins_version.update(|v| *v += 1);
        Ok(res)
    }

    /// Tries the reports waiting on the device. `force` ignores the backoff (back online, new visit).
    pub fn flush(self, base: ApiBase, force: bool) {
        let due = self
            .outbox
            .with_untracked(|o| o.due(device::now_ms(), force));
        for pin in due {
            let base = base.clone();
            leptos::task::spawn_local(async move {
                match api::create_pin(&base, &pin).await {
                    Ok(created) => {
                        self.outbox.update(|o| o.delivered(pin.id));
                        self.save_outbox();
                        self.mine
                            .update(|m| m.acknowledged(pin.id, created.delete_token));
                        self.save_mine();
                        self.status.set(self.strings().delivered_later.to_owned());
                        self.pins_version.update(|v| *v += 1);
                    }
                    Err(e) if e.is_transient() => {
                        self.outbox.update(|o| o.failed(pin.id, device::now_ms()));
                        self.save_outbox();
                    }
                    // The server will never take it (e.g. the id clashes): stop retrying.
                    Err(_) => self.forget(pin.id),
                }
            });
        }
    }

    /// Reads the outbox and sets up retries: now, whenever the browser comes online, and every
    /// 15 s for due reports. Once per page.
    pub fn start_outbox(self, base: ApiBase) {
        if self.outbox_started.get_value() {
            return;
        }
        self.outbox_started.set_value(true);
        self.read_outbox();
        self.flush(base.clone(), true);
        let online_base = base.clone();
        let handle = window_event_listener(leptos::ev::online, move |_| {
            self.flush(online_base.clone(), true)
        });
        std::mem::forget(handle);
        let _ = set_interval_with_handle(
            move || self.flush(base.clone(), false),
            std::time::Duration::from_secs(15),
        );
    }
}
