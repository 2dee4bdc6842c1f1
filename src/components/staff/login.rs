//! The staff login form.

use leptos::prelude::*;
use trygghetskarta_shared::SessionInfo;

use crate::api::{self, ApiBase, Attempt};
use crate::context::use_staff_strings;

#[component]
pub fn LoginForm(
    /// Logged in: who, with which role.
    on_login: Callback<SessionInfo>,
) -> impl IntoView {
    let strings = use_staff_strings();
    let base = expect_context::<ApiBase>();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    let login = Action::new_local(move |(): &()| {
        let base = base.clone();
        let (u, p) = (username.get_untracked(), password.get_untracked());
        async move {
            match api::login(&base, u.trim(), &p).await {
                Ok(info) => on_login.run(info),
                Err(e) => error.set(Some(strings().api_error(Attempt::Login, &e))),
            }
        }
    });
    view! {
        <form class="tk-sheet tk-login" on:submit=move |ev| {
            ev.prevent_default();
            error.set(None);
            login.dispatch(());
        }>
            <h2>{move || strings().login_heading}</h2>
            <div class="tk-field">
                <label for="tk-login-user">{move || strings().username}</label>
                <input id="tk-login-user" type="text" autocomplete="username" required
                    prop:value=move || username.get()
                    on:input=move |ev| username.set(event_target_value(&ev)) />
            </div>
            <div class="tk-field">
                <label for="tk-login-password">{move || strings().password}</label>
                <input id="tk-login-password" type="password" autocomplete="current-password" required
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev)) />
            </div>
            {move || error.get().map(|e| view! { <p class="tk-error" role="alert">{e}</p> })}
            <div class="tk-actions">
                <button type="submit" class="tk-button tk-button--primary" disabled=move || login.pending().get()>
                    {move || strings().login}
                </button>
            </div>
        </form>
    }
}
