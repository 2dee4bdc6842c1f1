//! The staff root (`/personal`, its own wasm bundle so residents never download it): the
//! widget's context and header, then log in, and what the role may do — the planners' view, the
//! hotspot list for organisers, the dialogue sessions.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use trygghetskarta_shared::{Role, SessionInfo};

use crate::api::{self, ApiBase};
use crate::components::header::Header;
use crate::components::staff::dialogues::StaffDialogues;
use crate::components::staff::login::LoginForm;
use crate::components::staff::planner::{HotspotList, PlannerView};
use crate::components::staff::PlanAt;
use crate::context::{provide_widget, use_strings};
use crate::geo::basemap::Basemap;
use crate::model::options::WidgetConfig;

/// The staff page.
#[component]
pub fn StaffRoot(config: WidgetConfig) -> impl IntoView {
    let (lang, _, basemap) = provide_widget(config);
    let loaded = Signal::derive(move || basemap.get().and_then(|r| r.ok()));
    view! {
        <div class="tk-root" lang=move || lang.get().tag()>
            <Header intro=false />
            <StaffApp basemap=loaded />
        </div>
    }
}

/// Who is using the staff page.
#[derive(Clone, Debug, PartialEq)]
enum Who {
    /// Asking the server whether this browser has a session.
    Checking,
    LoggedOut,
    LoggedIn(SessionInfo),
}

#[component]
pub fn StaffApp(#[prop(into)] basemap: Signal<Option<Arc<Basemap>>>) -> impl IntoView {
    let strings = use_strings();
    let base = expect_context::<ApiBase>();
    let who = RwSignal::new(Who::Checking);
    provide_context(PlanAt(RwSignal::new(None)));
    let check = base.clone();
    spawn_local(async move {
        who.set(
            api::session(&check)
                .await
                .map_or(Who::LoggedOut, Who::LoggedIn),
        );
    });
    let logout_base = base.clone();
    let logout = move |_| {
        let base = logout_base.clone();
        spawn_local(async move {
            let _ = api::logout(&base).await;
            who.set(Who::LoggedOut);
        });
    };
    let on_login = Callback::new(move |info| who.set(Who::LoggedIn(info)));
    view! {
        <section class="tk-staff" aria-labelledby="tk-staff-heading">
            <h2 id="tk-staff-heading">{move || strings().staff_title}</h2>
            <p><a href="/" class="tk-subscribe">{move || strings().back_to_map}</a></p>
            {move || match who.get() {
                Who::Checking => view! { <p class="tk-muted">"…"</p> }.into_any(),
                Who::LoggedOut => view! { <LoginForm on_login=on_login /> }.into_any(),
                Who::LoggedIn(info) => {
                    let can_organise = matches!(info.role, Role::Organiser | Role::Admin);
                    let can_plan_pins = matches!(info.role, Role::Planner | Role::Admin);
                    view! {
                        <p class="tk-staff-user">
                            {format!("{} {} ({})", strings().logged_in_as, info.username, info.role.as_str())}
                            " "
                            <button type="button" class="tk-button tk-button--small tk-logout" on:click=logout.clone()>
                                {strings().logout}
                            </button>
                        </p>
                        {can_plan_pins.then(|| view! { <PlannerView basemap=basemap can_plan=can_organise /> })}
                        {(can_organise && !can_plan_pins).then(|| {
                            let everything = Memo::new(|_| String::new());
                            view! { <HotspotList query=everything version=RwSignal::new(0) can_plan=true /> }
                        })}
                        {can_organise.then(|| view! { <StaffDialogues basemap=basemap /> })}
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
