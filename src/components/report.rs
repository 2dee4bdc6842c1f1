//! The resident's report flow: place a pin (crosshair or tap), fill the form, send — or keep it
//! on the device until the network is back. Also "Mina markeringar" and the chosen-pin panel.

use std::sync::Arc;

use leptos::html;
use leptos::prelude::*;
use trygghetskarta_shared::{Category, NewPin, PublicPin, TimeOfDay};
use uuid::Uuid;

use crate::api::{self, ApiBase, ApiError};
use crate::components::pin_layer::{category_icon, PinSet};
use crate::context::use_strings;
use crate::device;
use crate::geo::basemap::{Basemap, Layer, PlaceKind};
use crate::geo::mercator::{project, unproject};
use crate::geo::viewport::Viewport;
use crate::geo::{LonLat, Screen};
use crate::i18n::{fill, Strings};
use crate::interaction::controller::focus;
use crate::model::mine::{Mine, MyPin};
use crate::model::outbox::Outbox;
use crate::model::report::{comment_chars, nearby_same, Draft, Problem, Step};

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
    pub lang: RwSignal<crate::i18n::Lang>,
}

impl ReportState {
    pub fn load(lang: RwSignal<crate::i18n::Lang>) -> ReportState {
        ReportState {
            lang,
            step: RwSignal::new(Step::Idle),
            draft: RwSignal::new(Draft::default()),
            outbox: RwSignal::new(Outbox::from_json(
                device::get(device::OUTBOX_KEY).as_deref(),
            )),
            mine: RwSignal::new(Mine::from_json(device::get(device::MINE_KEY).as_deref())),
            status: RwSignal::new(String::new()),
            pins_version: RwSignal::new(0),
            selected: RwSignal::new(None),
        }
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
                    Err(_) => {
                        // The server will never take it (e.g. the id clashes): stop retrying.
                        self.outbox.update(|o| o.delivered(pin.id));
                        self.save_outbox();
                        self.mine.update(|m| m.remove(pin.id));
                        self.save_mine();
                    }
                }
            });
        }
    }
}

impl ReportState {
    fn strings(&self) -> &'static Strings {
        self.lang.get_untracked().strings()
    }
}

/// Sets up retries: now, whenever the browser comes online, and every 15 s for due reports.
pub fn start_outbox(state: ReportState, base: ApiBase) {
    state.flush(base.clone(), true);
    let online_base = base.clone();
    let handle = window_event_listener(leptos::ev::online, move |_| {
        state.flush(online_base.clone(), true)
    });
    std::mem::forget(handle);
    let _ = set_interval_with_handle(
        move || state.flush(base.clone(), false),
        std::time::Duration::from_secs(15),
    );
}

fn problem_text(s: &Strings, p: Problem) -> &'static str {
    match p {
        Problem::CategoryMissing => s.err_category,
        Problem::TimeMissing => s.err_time,
        Problem::CommentTooLong => s.err_comment,
        Problem::PlaceMissing => s.err_place,
    }
}

/// Named places in the kommun for reporting without the map, alphabetically.
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

/// Crosshair, draft pin and this device's own pins, drawn inside the map.
#[component]
pub fn ReportOverlay(viewport: RwSignal<Option<Viewport>>) -> impl IntoView {
    let state = expect_context::<ReportState>();
    let placing = move || matches!(state.step.get(), Step::Placing { .. });
    let draft_style = move || match (state.step.get(), viewport.get()) {
        (Step::Placing { draft: Some(at) }, Some(v)) => {
            let s = v.to_screen(project(at));
            Some(format!("transform: translate({:.1}px, {:.1}px)", s.x, s.y))
        }
        _ => None,
    };
    let mine = move || {
        let v = viewport.get()?;
        Some(
            state
                .mine
                .get()
                .pins
                .into_iter()
                .map(|p| {
                    let s = v.to_screen(project(LonLat::lat_lon(p.lat, p.lon)));
                    let style = format!("transform: translate({:.1}px, {:.1}px)", s.x, s.y);
                    view! { <div class="tk-mine-dot" style=style aria-hidden="true"></div> }
                })
                .collect_view(),
        )
    };
    view! {
        <div class="tk-overlay" aria-hidden="true">
            {mine}
            <Show when=placing>
                <div class="tk-crosshair"></div>
            </Show>
            {move || draft_style().map(|style| view! { <div class="tk-draft-pin" style=style></div> })}
        </div>
    }
}

/// The buttons that start a report, the placing bar, the form and the nearby prompt.
#[component]
pub fn ReportFlow(
    viewport: RwSignal<Option<Viewport>>,
    #[prop(into)] basemap: Signal<Option<Arc<Basemap>>>,
    #[prop(into)] pins: Signal<Arc<PinSet>>,
) -> impl IntoView {
    let strings = use_strings();
    let state = expect_context::<ReportState>();
    let base = expect_context::<ApiBase>();
    let start_button = NodeRef::<html::Button>::new();
    let heading = NodeRef::<html::H2>::new();
    let problems = RwSignal::new(Vec::<Problem>::new());
    let server_error = RwSignal::new(None::<&'static str>);
    let nearby = RwSignal::new(None::<(usize, Uuid, NewPin)>);
    let placing_error = RwSignal::new(false);

    let in_kommun = move |at: LonLat| {
        basemap
            .get_untracked()
            .is_none_or(|b| b.in_kommun(project(at)))
    };

    let close = move || {
        state.step.set(Step::Idle);
        state.draft.set(Draft::default());
        problems.set(Vec::new());
        server_error.set(None);
        nearby.set(None);
        placing_error.set(false);
        // The start button is drawn again once the step is Idle: focus it after that render,
        // so focus returns to where the report began instead of falling to the page.
        request_animation_frame(move || {
            if let Some(b) = start_button.get_untracked() {
                let _ = b.focus();
            }
        });
    };

    let choose_place = move || {
        let Step::Placing { draft } = state.step.get_untracked() else {
            return;
        };
        let at = draft.or_else(|| viewport.get_untracked().map(|v| v.center_lonlat()));
        let Some(at) = at else { return };
        if !in_kommun(at) {
            placing_error.set(true);
            return;
        }
        placing_error.set(false);
        state.step.set(Step::Form {
            at: Some(at),
            place_name: None,
        });
    };

    // Focus the form when it opens.
    Effect::new(move |_| {
        if matches!(state.step.get(), Step::Form { .. }) {
            request_animation_frame(move || {
                if let Some(h) = heading.get_untracked() {
                    let _ = h.focus();
                }
            });
        }
    });

    let send_base = base.clone();
    let send = Action::new_local(move |req: &NewPin| {
        let req = req.clone();
        let base = send_base.clone();
        async move {
            let s = state.strings();
            match api::create_pin(&base, &req).await {
                Ok(created) => {
                    state.remember(&req, Some(created.delete_token));
                    state.status.set(s.sent.to_owned());
                    state.pins_version.update(|v| *v += 1);
                    close();
                }
                Err(e)
                    if e.is_transient() && !matches!(&e, ApiError::Server { status: 429, .. }) =>
                {
                    state
                        .outbox
                        .update(|o| o.push(req.clone(), device::now_ms()));
                    state.save_outbox();
                    state.remember(&req, None);
                    state.status.set(s.saved_offline.to_owned());
                    close();
                }
                Err(ApiError::Server { status: 429, .. }) => server_error.set(Some(s.err_rate)),
                Err(ApiError::Server { code, field, .. }) => {
                    let msg = match (code.as_str(), field.as_deref()) {
                        ("outside_area", _) => s.outside_kommun,
                        (_, Some("comment")) => s.err_comment,
                        (_, Some("category")) => s.err_category,
                        (_, Some("time_of_day")) => s.err_time,
                        _ => s.err_generic,
                    };
                    server_error.set(Some(msg));
                }
                Err(_) => server_error.set(Some(s.err_generic)),
            }
        }
    });
    let sending = send.pending();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        server_error.set(None);
        let Step::Form { at, place_name } = state.step.get_untracked() else {
            return;
        };
        let mut found = state.draft.with_untracked(Draft::problems);
        if at.is_none() {
            found.insert(0, Problem::PlaceMissing);
        }
        if let Some(first) = found.first() {
            problems.set(found.clone());
            let id = format!("tk-field-{}", first.field());
            request_animation_frame(move || crate::dom::focus_id(&id));
            return;
        }
        problems.set(Vec::new());
        let at = at.expect("checked above");
        let Ok(req) = state
            .draft
            .with_untracked(|d| d.to_request(Uuid::new_v4(), at, place_name.as_deref()))
        else {
            return;
        };
        if nearby.get_untracked().is_none() {
            let set = pins.get_untracked();
            let near = nearby_same(&set.pins, at, req.category);
            if let Some(first) = near.first() {
                nearby.set(Some((near.len(), first.id, req)));
                return;
            }
        }
        send.dispatch(req);
    };

    let agree_base = base.clone();
    let agree = Action::new_local(move |pin: &Uuid| {
        let pin = *pin;
        let base = agree_base.clone();
        async move {
            let s = state.strings();
            match api::agree(&base, pin, device::device_id()).await {
                Ok(_) => {
                    state.status.set(s.agreed.to_owned());
                    state.pins_version.update(|v| *v += 1);
                    close();
                }
                Err(ApiError::Server { status: 429, .. }) => server_error.set(Some(s.err_rate)),
                Err(_) => server_error.set(Some(s.err_generic)),
            }
        }
    });

    let start = move |_| {
        state.selected.set(None);
        state.step.set(Step::Placing { draft: None });
    };
    let without_map = move |_| {
        state.selected.set(None);
        state.step.set(Step::Form {
            at: None,
            place_name: None,
        });
    };

    let has = move |p: Problem| problems.with(|ps| ps.contains(&p));
    let error_for = move |p: Problem| {
        move || {
            has(p).then(|| {
                view! {
                    <p class="tk-field-error" id=format!("tk-error-{}", p.field())>
                        {problem_text(strings(), p)}
                    </p>
                }
            })
        }
    };

    let category_choices = move || {
        Category::ALL
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let id = if i == 0 {
                    "tk-field-category".to_owned()
                } else {
                    format!("tk-cat-{}", c.code())
                };
                view! {
                    <label class=format!("tk-choice tk-cat-{}", c.code())>
                        <input
                            type="radio"
                            name="tk-category"
                            id=id
                            value=c.code()
                            prop:checked=move || state.draft.with(|d| d.category == Some(c))
                            on:change=move |_| {
                                state.draft.update(|d| d.category = Some(c));
                                problems.update(|p| p.retain(|x| *x != Problem::CategoryMissing));
                            }
                        />
                        {category_icon(c)}
                        <span>{move || strings().category(c)}</span>
                    </label>
                }
            })
            .collect_view()
    };
    let time_choices = move || {
        TimeOfDay::ALL
            .into_iter()
            .enumerate()
            .map(|(i, t)| {
                let id = if i == 0 {
                    "tk-field-time_of_day".to_owned()
                } else {
                    format!("tk-tod-{}", t.code())
                };
                view! {
                    <label class="tk-choice">
                        <input
                            type="radio"
                            name="tk-time"
                            id=id
                            value=t.code()
                            prop:checked=move || state.draft.with(|d| d.time_of_day == Some(t))
                            on:change=move |_| {
                                state.draft.update(|d| d.time_of_day = Some(t));
                                problems.update(|p| p.retain(|x| *x != Problem::TimeMissing));
                            }
                        />
                        <span>{move || strings().time_of_day(t)}</span>
                    </label>
                }
            })
            .collect_view()
    };

    let place_select = move || {
        let choices = basemap.get().map(|b| place_choices(&b)).unwrap_or_default();
        let options = choices.clone();
        view! {
            <div class="tk-field">
                <label for="tk-field-place">{move || strings().place_label}</label>
                <select
                    id="tk-field-place"
                    aria-invalid=move || has(Problem::PlaceMissing).to_string()
                    on:change=move |ev| {
                        let i: Option<usize> = event_target_value(&ev).parse().ok();
                        if let Some((name, at)) = i.and_then(|i| choices.get(i)).cloned() {
                            state.step.set(Step::Form { at: Some(at), place_name: Some(name) });
                            problems.update(|p| p.retain(|x| *x != Problem::PlaceMissing));
                        }
                    }
                >
                    <option value="">{move || strings().place_choose}</option>
                    {options
                        .into_iter()
                        .enumerate()
                        .map(|(i, (name, _))| view! { <option value=i.to_string()>{name}</option> })
                        .collect_view()}
                </select>
                {move || has(Problem::PlaceMissing).then(|| view! { <p class="tk-field-error">{strings().err_place}</p> })}
            </div>
        }
    };

    let form = move || {
        let Step::Form { place_name, at } = state.step.get() else {
            return None;
        };
        let via_list = place_name.is_some() || at.is_none();
        Some(view! {
            <form class="tk-sheet" novalidate on:submit=submit on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    close();
                }
            }>
                <h2 class="tk-sheet-title" tabindex="-1" node_ref=heading>
                    {move || if via_list { strings().form_heading_list } else { strings().form_heading }}
                </h2>
                {via_list.then(place_select)}
                <fieldset class="tk-fieldset" aria-describedby="tk-error-category">
                    <legend>{move || strings().category_legend}</legend>
                    <div class="tk-choices">{category_choices()}</div>
                    {error_for(Problem::CategoryMissing)}
                </fieldset>
                <fieldset class="tk-fieldset" aria-describedby="tk-error-time_of_day">
                    <legend>{move || strings().time_legend}</legend>
                    <div class="tk-choices tk-choices--row">{time_choices()}</div>
                    {error_for(Problem::TimeMissing)}
                </fieldset>
                {via_list.then(|| view! {
                    <div class="tk-field">
                        <label for="tk-field-place_description">{move || strings().place_description_label}</label>
                        <input
                            type="text"
                            id="tk-field-place_description"
                            maxlength="300"
                            prop:value=move || state.draft.with(|d| d.place_description.clone())
                            on:input=move |ev| state.draft.update(|d| d.place_description = event_target_value(&ev))
                        />
                    </div>
                })}
                <div class="tk-field">
                    <label for="tk-field-comment">{move || strings().comment_label}</label>
                    <textarea
                        id="tk-field-comment"
                        rows="4"
                        aria-describedby="tk-comment-count tk-comment-notice"
                        aria-invalid=move || has(Problem::CommentTooLong).to_string()
                        prop:value=move || state.draft.with(|d| d.comment.clone())
                        on:input=move |ev| {
                            state.draft.update(|d| d.comment = event_target_value(&ev));
                            problems.update(|p| p.retain(|x| *x != Problem::CommentTooLong));
                        }
                    ></textarea>
                    <p id="tk-comment-count" class="tk-counter" class:tk-counter--over=move || state.draft.with(|d| comment_chars(&d.comment) > 1000)>
                        {move || fill(strings().comment_counter, state.draft.with(|d| comment_chars(&d.comment)))}
                    </p>
                    {error_for(Problem::CommentTooLong)}
                    <p id="tk-comment-notice" class="tk-notice">{move || strings().comment_notice}</p>
                </div>
                <div class="tk-honeypot" aria-hidden="true">
                    <label for="tk-website">{move || strings().honeypot_label}</label>
                    <input
                        type="text"
                        id="tk-website"
                        name="website"
                        tabindex="-1"
                        autocomplete="off"
                        prop:value=move || state.draft.with(|d| d.website.clone())
                        on:input=move |ev| state.draft.update(|d| d.website = event_target_value(&ev))
                    />
                </div>
                {move || server_error.get().map(|m| view! { <p class="tk-error" role="alert">{m}</p> })}
                {move || nearby.get().map(|(n, first, req)| {
                    let own = req.clone();
                    view! {
                        <div class="tk-nearby" role="group" aria-labelledby="tk-nearby-text">
                            <p id="tk-nearby-text">{fill(strings().nearby, n)}</p>
                            <div class="tk-actions">
                                <button type="button" class="tk-button tk-button--primary" on:click=move |_| { agree.dispatch(first); }>
                                    {strings().agree}
                                </button>
                                <button type="button" class="tk-button" on:click=move |_| { send.dispatch(own.clone()); }>
                                    {strings().send_own}
                                </button>
                            </div>
                        </div>
                    }
                })}
                <div class="tk-actions">
                    <button type="submit" class="tk-button tk-button--primary tk-send" disabled=move || sending.get()>
                        {move || if sending.get() { strings().sending } else { strings().send }}
                    </button>
                    <button type="button" class="tk-button tk-cancel" on:click=move |_| close()>
                        {move || strings().cancel}
                    </button>
                </div>
            </form>
        })
    };

    view! {
        <div class="tk-report">
            <Show
                when=move || matches!(state.step.get(), Step::Placing { .. })
                fallback=move || view! {
                    <div class="tk-actions tk-report-start">
                        <button
                            type="button"
                            class="tk-button tk-button--primary tk-start-report"
                            node_ref=start_button
                            on:click=start
                            disabled=move || matches!(state.step.get(), Step::Form { .. })
                        >
                            {move || strings().report_start}
                        </button>
                        <button type="button" class="tk-button tk-link-button tk-report-list" on:click=without_map>
                            {move || strings().report_without_map}
                        </button>
                    </div>
                }
            >
                <div class="tk-placing" role="group" aria-labelledby="tk-placing-hint">
                    <p id="tk-placing-hint">{move || strings().placing_hint}</p>
                    {move || placing_error.get().then(|| view! { <p class="tk-field-error" role="alert">{strings().outside_kommun}</p> })}
                    <div class="tk-actions">
                        <button type="button" class="tk-button tk-button--primary tk-choose-here" on:click=move |_| choose_place()>
                            {move || strings().choose_here}
                        </button>
                        <button type="button" class="tk-button" on:click=move |_| close()>
                            {move || strings().cancel}
                        </button>
                    </div>
                </div>
            </Show>
            {form}
        </div>
    }
}

/// Handles taps and Enter on the map for the report flow. Returns (on_tap, on_enter).
pub fn map_handlers(viewport: RwSignal<Option<Viewport>>) -> (Callback<LonLat>, Callback<()>) {
    let state = expect_context::<ReportState>();
    let on_tap = Callback::new(move |at: LonLat| {
        if matches!(state.step.get_untracked(), Step::Placing { .. }) {
            state.step.set(Step::Placing { draft: Some(at) });
        } else {
            state.selected.set(None);
        }
    });
    let on_enter = Callback::new(move |()| match state.step.get_untracked() {
        Step::Idle => state.step.set(Step::Placing { draft: None }),
        Step::Placing { .. } => {
            // Enter chooses the crosshair: the centre of the view.
            if let Some(v) = viewport.get_untracked() {
                let centre = v.to_lonlat(Screen::new(v.width / 2.0, v.height / 2.0));
                state.step.set(Step::Placing {
                    draft: Some(centre),
                });
                if let Some(b) = crate::dom::query(".tk-choose-here") {
                    b.click();
                }
            }
        }
        Step::Form { .. } => {}
    });
    (on_tap, on_enter)
}

/// The chosen public pin: what it is, and "Jag känner likadant".
#[component]
pub fn SelectedPin() -> impl IntoView {
    let strings = use_strings();
    let state = expect_context::<ReportState>();
    let base = expect_context::<ApiBase>();
    let agree = Action::new_local(move |pin: &Uuid| {
        let pin = *pin;
        let base = base.clone();
        async move {
            let s = state.strings();
            match api::agree(&base, pin, device::device_id()).await {
                Ok(res) => {
                    state.selected.update(|p| {
                        if let Some(p) = p.as_mut() {
                            p.agree_count = res.agree_count;
                        }
                    });
                    state.status.set(s.agreed.to_owned());
                    state.pins_version.update(|v| *v += 1);
                }
                Err(_) => state.status.set(s.err_generic.to_owned()),
            }
        }
    });
    move || {
        state.selected.get().map(|p| {
            let s = strings();
            view! {
                <div class="tk-selected" role="region" aria-label=s.category(p.category)>
                    <p class="tk-selected-title">
                        {category_icon(p.category)}
                        {s.category(p.category)}
                    </p>
                    <p>{format!("{} · {} {}", s.time_of_day(p.time_of_day), s.reported_on, p.created_date)}</p>
                    <p>{fill(s.agree_count, p.agree_count)}</p>
                    {p.comment.clone().map(|c| view! { <p class="tk-comment">{c}</p> })}
                    <div class="tk-actions">
                        <button type="button" class="tk-button tk-button--primary" on:click=move |_| { agree.dispatch(p.id); }>
                            {s.agree}
                        </button>
                        <button type="button" class="tk-button" on:click=move |_| state.selected.set(None)>
                            {s.close}
                        </button>
                    </div>
                </div>
            }
        })
    }
}

/// "Mina markeringar": reports from this device, with delete.
#[component]
pub fn MyPins(viewport: RwSignal<Option<Viewport>>) -> impl IntoView {
    let strings = use_strings();
    let state = expect_context::<ReportState>();
    let base = expect_context::<ApiBase>();
    let remove = Action::new_local(move |pin: &MyPin| {
        let pin = pin.clone();
        let base = base.clone();
        async move {
            let s = state.strings();
            let result = match &pin.delete_token {
                Some(token) => api::delete_pin(&base, pin.id, token).await,
                None => Ok(()),
            };
            match result {
                Ok(()) => {
                    state.outbox.update(|o| o.delivered(pin.id));
                    state.save_outbox();
                    state.mine.update(|m| m.remove(pin.id));
                    state.save_mine();
                    state.status.set(s.deleted.to_owned());
                    state.pins_version.update(|v| *v += 1);
                }
                Err(_) => state.status.set(s.delete_failed.to_owned()),
            }
        }
    });
    let show = move |p: &MyPin| {
        let at = project(LonLat::lat_lon(p.lat, p.lon));
        viewport.update(|v| {
            if let Some(v) = v.as_mut() {
                *v = focus(*v, at, v.zoom.max(16.0));
            }
        });
    };
    view! {
        <section class="tk-mine" aria-labelledby="tk-mine-heading">
            <h2 id="tk-mine-heading">{move || strings().mine_heading}</h2>
            {move || {
                let pins = state.mine.get().pins;
                if pins.is_empty() {
                    return view! { <p class="tk-muted">{strings().mine_empty}</p> }.into_any();
                }
                view! {
                    <ul class="tk-mine-list">
                        {pins
                            .into_iter()
                            .map(|p| {
                                let s = strings();
                                let pending = p.delete_token.is_none();
                                let (to_show, to_remove) = (p.clone(), p.clone());
                                view! {
                                    <li class="tk-mine-item">
                                        {category_icon(p.category)}
                                        <span class="tk-mine-text">
                                            {format!("{}, {} · {}", s.category(p.category), s.time_of_day(p.time_of_day).to_lowercase(), p.date)}
                                            {pending.then(|| view! { <span class="tk-badge tk-badge--pending">{s.mine_pending}</span> })}
                                        </span>
                                        <button type="button" class="tk-button tk-button--small" on:click=move |_| show(&to_show)>{s.mine_show}</button>
                                        <button type="button" class="tk-button tk-button--small tk-delete" on:click=move |_| { remove.dispatch(to_remove.clone()); }>{s.mine_delete}</button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}
