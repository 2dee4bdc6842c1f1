//! "Kommande dialoger": upcoming dialogue sessions, with calendar links, and "Genomförda
//! dialoger" (a part of its own, loaded when the section is opened: `components::part`); and the
//! sessions' markers on the map.

use leptos::prelude::*;
use trygghetskarta_shared::{Dialogue, DialogueStatus};

use crate::api::{ApiBase, ApiError};
use crate::components::action_layer::Actions;
use crate::components::map_layout::MapLayout;
use crate::components::part::{part, PartFailed, Section};
use crate::components::report::ReportState;
use crate::context::{use_lang, use_strings};
use crate::geo::mercator::project;
use crate::geo::viewport::Viewport;
use crate::geo::LonLat;
use crate::i18n::{fill, lowercase};
use crate::interaction::controller::focus;
use crate::model::dialogue::{format_when, near_any};

/// The sessions, loaded once by the app and shared by the list and the map.
pub type Dialogues = LocalResource<Result<Vec<Dialogue>, ApiError>>;

/// The heading of the dialogue section.
pub const DIALOGUES_HEADING: &str = "tk-dialogues-heading";

fn element_id(d: &Dialogue) -> String {
    format!("tk-dialog-{}", d.id)
}

part! {
    dialogues;
    /// The lists of upcoming and held sessions, fetched the first time the section opens.
    pub fn dialogues_part(
        dialogues: Dialogues,
        closed: Dialogues,
        actions: Actions,
        viewport: RwSignal<Option<Viewport>>,
        section: Section,
    ) -> Result<AnyView, PartFailed> {
        // A session asked for (marker, link): focused once both lists are drawn, and the actions
        // the held ones name (their arrival draws the held sessions again).
        section.focus_when(move || {
            dialogues.with(Option::is_some)
                && closed.with(Option::is_some)
                && actions.with(Option::is_some)
        });
        Ok(view! {
            <DialogueList dialogues=dialogues viewport=viewport />
            <ClosedDialogues closed=closed actions=actions />
        }
        .into_any())
    }
}

#[component]
fn DialogueList(dialogues: Dialogues, viewport: RwSignal<Option<Viewport>>) -> impl IntoView {
    let strings = use_strings();
    let lang = use_lang();
    let base = expect_context::<ApiBase>();
    let feed = base.url("/api/dialogues.ics");

    let item = move |d: Dialogue| {
        let s = strings();
        let when = format_when(&d.starts_at, &d.ends_at, lang.get()).unwrap_or_default();
        let cancelled = d.status == DialogueStatus::Cancelled;
        let near = use_context::<ReportState>().is_some_and(|r| {
            let mine: Vec<LonLat> = r.mine.with_untracked(|m| {
                m.pins
                    .iter()
                    .map(|p| LonLat::lat_lon(p.lat, p.lon))
                    .collect()
            });
            near_any(LonLat::lat_lon(d.lat, d.lon), &mine)
        });
        let ics = base.url(&format!("/api/dialogues/{}.ics", d.id));
        let at = project(LonLat::lat_lon(d.lat, d.lon));
        let show = move |_| {
            viewport.update(|v| {
                if let Some(v) = v.as_mut() {
                    *v = focus(*v, at, v.zoom.max(15.0));
                }
            });
        };
        let heading_id = format!("{}-title", element_id(&d));
        let labelled_by = heading_id.clone();
        view! {
            <li
                class="tk-dialogue"
                class:tk-dialogue--cancelled=cancelled
                class:tk-dialogue--near=near
                id=element_id(&d)
                tabindex="-1"
                aria-labelledby=labelled_by
            >
                <h3 class="tk-dialogue-title" id=heading_id>
                    {cancelled.then(|| view! { <span class="tk-badge">{s.cancelled}</span> " " })}
                    {d.title.clone()}
                </h3>
                {near.then(|| view! {
                    <p class="tk-near" title=s.near_you_hint>
                        <span class="tk-badge tk-badge--near">{s.near_you}</span>
                        " "
                        {s.near_you_hint}
                    </p>
                })}
                <p class="tk-dialogue-when">{when}</p>
                <p class="tk-dialogue-meta">
                    {format!(
                        "{} · {} · {}",
                        s.dialogue_kind(d.kind),
                        d.place_name,
                        s.organiser(d.organiser),
                    )}
                </p>
                {d.cancel_reason.clone().filter(|_| cancelled).map(|r| view! {
                    <p class="tk-dialogue-cancel">{format!("{}: {r}", s.cancel_reason)}</p>
                })}
                {(!d.description.is_empty()).then(|| view! {
                    <p class="tk-dialogue-description">{d.description.clone()}</p>
                })}
                <div class="tk-actions">
                    <a class="tk-button tk-button--small tk-ics" href=ics download="">{s.add_to_calendar}</a>
                    <button type="button" class="tk-button tk-button--small" on:click=show>{s.show_on_map}</button>
                    {d.online_url.clone().map(|u| view! {
                        <a class="tk-button tk-button--small" href=u rel="noopener noreferrer" target="_blank">{s.join_online}</a>
                    })}
                    {d.registration_url.clone().map(|u| view! {
                        <a class="tk-button tk-button--small" href=u rel="noopener noreferrer" target="_blank">{s.registration}</a>
                    })}
                </div>
            </li>
        }
    };

    view! {
            <p><a class="tk-subscribe" href=feed>{move || strings().subscribe_calendar}</a></p>
            {move || match dialogues.get() {
                None => view! { <p class="tk-muted">{strings().dialogues_loading}</p> }.into_any(),
                Some(Err(_)) => {
                    view! { <p class="tk-error" role="status">{strings().dialogues_failed}</p> }
                        .into_any()
                }
                Some(Ok(list)) if list.is_empty() => {
                    view! { <p class="tk-muted tk-dialogues-empty">{strings().dialogues_empty}</p> }
                        .into_any()
                }
                Some(Ok(list)) => {
                    view! { <ul class="tk-dialogue-list">{list.into_iter().map(item.clone()).collect_view()}</ul> }
                        .into_any()
                }
            }}
    }
}

/// Dialogue sessions as calendar-shaped markers on the map, distinct from report pins. Choosing
/// one opens the list (`open`) and moves focus to the session there.
#[component]
pub fn DialogueMarkers(dialogues: Dialogues, section: Section) -> impl IntoView {
    let strings = use_strings();
    let lang = use_lang();
    let map = expect_context::<MapLayout>();
    let markers = move || {
        let list = dialogues.get().and_then(Result::ok).unwrap_or_default();
        list.into_iter()
            .map(|d| {
                let world = project(LonLat::lat_lon(d.lat, d.lon));
                let style = move || map.marker_style(world);
                let when = format_when(&d.starts_at, &d.ends_at, lang.get()).unwrap_or_default();
                let label = format!("{}: {}, {}", strings().dialogue_marker, d.title, when);
                let id = d.id.to_string();
                view! {
                    <button
                        type="button"
                        class="tk-marker tk-dialogue-marker"
                        class:tk-dialogue-marker--cancelled=d.status == DialogueStatus::Cancelled
                        style=style
                        aria-label=label
                        on:click=move |_| section.show(format!("tk-dialog-{id}"))
                    >
                        <svg class="tk-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                            <path d="M7 2h2v2h6V2h2v2h3a1 1 0 0 1 1 1v15a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1h3zM5 9v10h14V9zm2 2h4v4H7z"></path>
                        </svg>
                    </button>
                }
            })
            .collect_view()
    };
    view! { <div class="tk-pins tk-dialogue-layer">{markers}</div> }
}

/// "Genomförda dialoger": sessions that were held, with what was heard there and the actions
/// decided (the outcome's link in the calendar event leads here).
#[component]
fn ClosedDialogues(closed: Dialogues, actions: Actions) -> impl IntoView {
    let strings = use_strings();
    let lang = use_lang();
    let item = move |d: Dialogue| {
        let s = strings();
        let when = format_when(&d.starts_at, &d.ends_at, lang.get()).unwrap_or_default();
        let outcome = d.outcome.clone()?;
        let titles: Vec<String> = actions
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|a| outcome.actions.contains(&a.id))
            .map(|a| format!("{} ({})", a.title, lowercase(s.action_state(a.state))))
            .collect();
        // In the order of the categories, as the report form lists them.
        let mut themes: Vec<String> = trygghetskarta_shared::Category::ALL
            .into_iter()
            .filter(|c| outcome.themes.contains(c))
            .map(|c| s.category(c).to_owned())
            .collect();
        themes.extend(outcome.other_themes.clone());
        let heading = format!("{}-title", element_id(&d));
        let labelled_by = heading.clone();
        Some(view! {
            <li class="tk-dialogue tk-dialogue--closed" id=element_id(&d) tabindex="-1" aria-labelledby=labelled_by>
                <h3 class="tk-dialogue-title" id=heading>{d.title.clone()}</h3>
                <p class="tk-dialogue-when">{format!("{when} · {}", d.place_name)}</p>
                <h4>{s.what_we_heard}</h4>
                <p class="tk-outcome-summary">{outcome.summary.clone()}</p>
                <p class="tk-muted">{fill(s.participants, outcome.participants)}</p>
                {(!themes.is_empty()).then(|| view! { <p>{format!("{}: {}", s.themes, themes.join(", "))}</p> })}
                {(!titles.is_empty()).then(|| view! {
                    <div>
                        <p>{format!("{}:", s.decided_actions)}</p>
                        <ul class="tk-outcome-actions">{titles.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                    </div>
                })}
            </li>
        })
    };
    move || {
        let list = closed.get().and_then(Result::ok).unwrap_or_default();
        (!list.is_empty()).then(|| {
            view! {
                <section class="tk-dialogues tk-dialogues--closed" aria-labelledby="tk-closed-heading">
                    <h2 id="tk-closed-heading">{strings().closed_dialogues}</h2>
                    <ul class="tk-dialogue-list">{list.into_iter().map(item).collect_view()}</ul>
                </section>
            }
        })
    }
}
