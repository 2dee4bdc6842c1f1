//! "Kommande dialoger": upcoming dialogue sessions from the API.

use leptos::prelude::*;
use trygghetskarta_shared::{Dialogue, DialogueKind, DialogueOrganiser, DialogueStatus};

use crate::api::{self, ApiBase};
use crate::app::{use_lang, use_strings};
use crate::model::dialogue::format_when;

#[component]
pub fn DialogueList() -> impl IntoView {
    let strings = use_strings();
    let lang = use_lang();
    let base = expect_context::<ApiBase>();
    let dialogues = LocalResource::new(move || {
        let base = base.clone();
        async move { api::dialogues(&base).await }
    });

    let item = move |d: Dialogue| {
        let s = strings();
        let when = format_when(&d.starts_at, &d.ends_at, lang.get()).unwrap_or_default();
        let kind = match d.kind {
            DialogueKind::Meeting => s.kind_meeting,
            DialogueKind::Walk => s.kind_walk,
            DialogueKind::Online => s.kind_online,
        };
        let organiser = match d.organiser {
            DialogueOrganiser::Kommun => s.organiser_kommun,
            DialogueOrganiser::Polis => s.organiser_polis,
            DialogueOrganiser::Both => s.organiser_both,
        };
        let cancelled = d.status == DialogueStatus::Cancelled;
        view! {
            <li class="tk-dialogue" class:tk-dialogue--cancelled=cancelled>
                <h3 class="tk-dialogue-title">
                    {cancelled.then(|| view! { <span class="tk-badge">{s.cancelled}</span> " " })}
                    {d.title}
                </h3>
                <p class="tk-dialogue-when">{when}</p>
                <p class="tk-dialogue-meta">{format!("{kind} · {} · {organiser}", d.place_name)}</p>
            </li>
        }
    };

    view! {
        <section class="tk-dialogues" aria-labelledby="tk-dialogues-heading">
            <h2 id="tk-dialogues-heading">{move || strings().dialogues_heading}</h2>
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
                    view! { <ul class="tk-dialogue-list">{list.into_iter().map(item).collect_view()}</ul> }
                        .into_any()
                }
            }}
        </section>
    }
}
