//! Åtgärder (`/personal/atgarder`; organisers, planners, admins): the handlingsplan. For now the
//! actions as residents see them (`GET /api/actions`); creating and following up actions (issue
//! 14's staff forms over `POST /api/actions`, `…/notes`) is built here.

use leptos::prelude::*;

use crate::api::{self, ApiBase};
use crate::context::use_strings;

#[component]
pub fn ActionsSection() -> impl IntoView {
    let strings = use_strings();
    let base = expect_context::<ApiBase>();
    let actions = LocalResource::new(move || {
        let base = base.clone();
        async move { api::actions(&base).await.ok() }
    });
    view! {
        <div class="tk-actions-section">
            <p class="tk-muted">{move || strings().atgarder_intro}</p>
            {move || actions.get().flatten().filter(|l| !l.is_empty()).map(|list| view! {
                <ul class="tk-action-list">
                    {list.into_iter().map(|a| view! {
                        <li>
                            <strong>{a.title.clone()}</strong>
                            {format!(" · {}", strings().action_state(a.state))}
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
}
