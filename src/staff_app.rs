//! The staff root (`/personal`, its own wasm bundle so residents never download it): the
//! widget's context and header, who is logged in, and then the shell
//! (`components/staff/shell.rs`) with the sections the role has, each at its own address.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use trygghetskarta_shared::SessionInfo;

use crate::api::{self, ApiBase};
use crate::components::header::Header;
use crate::components::staff::login::LoginForm;
use crate::components::staff::shell::{provide_staff_state, StaffShell};
use crate::components::staff::{ActionAt, PlanAt};
use crate::context::{provide_widget, use_staff_strings};
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
    let strings = use_staff_strings();
    let base = expect_context::<ApiBase>();
    let who = RwSignal::new(Who::Checking);
    provide_context(PlanAt(RwSignal::new(None)));
    provide_context(ActionAt(RwSignal::new(None)));
    // The address (section and selection) is read before the login, so a link a colleague
    // sent opens its selection once logged in.
    provide_staff_state();
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
            <div class="tk-staff-bar">
                <p id="tk-staff-heading" class="tk-staff-name">{move || strings().staff_title}</p>
                {move || match who.get() {
                    Who::LoggedIn(info) => Some(view! {
                        <p class="tk-staff-user">
                            {format!("{} {} ({})", strings().logged_in_as, info.username, strings().role(info.role))}
                            " "
                            <button type="button" class="tk-button tk-button--small tk-logout" on:click=logout.clone()>
                                {strings().logout}
                            </button>
                        </p>
                    }),
                    _ => None,
                }}
                <p><a href="/" class="tk-subscribe">{move || strings().back_to_map}</a></p>
            </div>
            {move || match who.get() {
                Who::Checking => view! { <p class="tk-muted">"…"</p> }.into_any(),
                Who::LoggedOut => view! { <LoginForm on_login=on_login /> }.into_any(),
                Who::LoggedIn(info) => view! { <StaffShell info=info basemap=basemap /> }.into_any(),
            }}
        </section>
    }
}
