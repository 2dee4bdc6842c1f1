//! Konton (`/personal/konton`, admins): the staff accounts with role, state and last login;
//! disable and enable (never one's own), a new password, and a new account. The forms' checks
//! are `model::accounts` (the rules of the server's `user add`, which stays).

use leptos::prelude::*;
use trygghetskarta_shared::{Role, StaffUser};

use crate::api::{self, AccountChange, ApiBase, Attempt};
use crate::context::use_staff_strings;
use crate::i18n::StaffStrings;
use crate::model::accounts::{check_password, may_disable, AccountForm};
use crate::model::staff::minutes;

/// A message and the field it belongs to (`username`, `password`, `repeat`; "" for the form).
type FieldError = Option<(String, &'static str)>;

/// A labelled input with its message, for the two forms.
fn field(
    id: String,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    error: RwSignal<FieldError>,
) -> impl IntoView {
    let err_id = format!("{id}-error");
    let message_id = err_id.clone();
    let has_error = move || error.with(|e| e.as_ref().is_some_and(|(f, _)| f == name));
    view! {
        <div class="tk-field">
            <label for=id.clone()>{label}</label>
            <input id=id type=kind autocomplete=autocomplete
                aria-invalid=move || has_error().to_string()
                aria-describedby=move || has_error().then(|| err_id.clone())
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
            {move || error.get().filter(|(f, _)| f == name).map(|(_, m)| view! {
                <p class="tk-field-error" id=message_id.clone()>{m}</p>
            })}
        </div>
    }
}

#[component]
pub fn Accounts(
    /// The admin's own user name (they cannot disable themself).
    me: String,
) -> impl IntoView {
    let strings = use_staff_strings();
    let base = expect_context::<ApiBase>();
    let version = RwSignal::new(0u32);
    let status = RwSignal::new(String::new());
    let list_base = base.clone();
    let users = LocalResource::new(move || {
        version.track();
        let base = list_base.clone();
        async move { api::staff_users(&base).await }
    });
    let done = move |template: fn(&StaffStrings) -> &'static str, name: &str| {
        status.set(template(strings()).replace("{name}", name));
        version.update(|v| *v += 1);
    };

    // A change to one account: disable, enable, or the password form below it.
    let password_for = RwSignal::new(None::<String>);
    let (pw, pw_again) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let pw_error = RwSignal::new(None::<(String, &'static str)>);
    let change_base = base.clone();
    let change = Action::new_local(move |(name, change): &(String, AccountChange)| {
        let (base, name, change) = (change_base.clone(), name.clone(), change.clone());
        async move {
            let s = strings();
            let template: fn(&StaffStrings) -> &'static str = match change {
                AccountChange::Disable => |s| s.account_disabled_done,
                AccountChange::Enable => |s| s.account_enabled_done,
                AccountChange::Password(_) => |s| s.account_password_done,
            };
            let is_password = matches!(change, AccountChange::Password(_));
            match api::change_staff_user(&base, &name, change).await {
                Ok(()) => {
                    if is_password {
                        password_for.set(None);
                    }
                    done(template, &name);
                }
                Err(e) if is_password => {
                    let field = e.field().unwrap_or("password").to_owned();
                    pw_error.set(Some((field, s.api_error(Attempt::Account, &e))));
                }
                Err(e) => status.set(s.api_error(Attempt::Account, &e).to_owned()),
            }
        }
    });
    let password_form = move |name: String| {
        let id = |f: &str| format!("tk-acc-{f}-{name}");
        let submit_name = name.clone();
        view! {
            <form class="tk-inline-form tk-password-form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                match check_password(&pw.get_untracked(), &pw_again.get_untracked()) {
                    Ok(()) => {
                        pw_error.set(None);
                        change.dispatch((submit_name.clone(), AccountChange::Password(pw.get_untracked())));
                    }
                    Err(p) => pw_error.set(Some((p.field().to_owned(), strings().account_problem(p)))),
                }
            }>
                {field(id("password"), strings().password, "password", "new-password", "password", pw, pw_error)}
                {field(id("repeat"), strings().account_password_repeat, "password", "new-password", "repeat", pw_again, pw_error)}
                <p class="tk-muted">{strings().account_password_hint}</p>
                <div class="tk-actions">
                    <button type="submit" class="tk-button tk-button--primary tk-save-password">{strings().account_save_password}</button>
                    <button type="button" class="tk-button" on:click=move |_| password_for.set(None)>{strings().cancel}</button>
                </div>
            </form>
        }
    };
    let row = move |u: StaffUser| {
        let s = strings();
        let name = u.username.clone();
        let mine = !may_disable(&me, &name);
        let login = u
            .last_login_at
            .as_deref()
            .map_or_else(|| s.account_never.to_owned(), minutes);
        let (toggle_name, open_name, form_name) = (name.clone(), name.clone(), name.clone());
        let disabled = u.disabled;
        let badge = if disabled {
            "tk-badge tk-badge--hidden"
        } else {
            "tk-badge tk-badge--ok"
        };
        view! {
            <li class="tk-account" class:tk-account--disabled=disabled data-user=name.clone()>
                <p>
                    <strong>{name.clone()}</strong>
                    {mine.then(|| format!(" {}", s.account_you))}
                    {format!(" · {} · ", s.role(u.role))}
                    <span class=badge>
                        {if disabled { s.account_disabled } else { s.account_active }}
                    </span>
                </p>
                <p class="tk-muted">{format!("{}: {login}", s.account_col_login)}</p>
                <div class="tk-actions">
                    {(!mine).then(|| {
                        let (label, step) = if disabled {
                            (s.account_enable, AccountChange::Enable)
                        } else {
                            (s.account_disable, AccountChange::Disable)
                        };
                        view! {
                            <button type="button" class="tk-button tk-button--small tk-account-toggle"
                                aria-label=format!("{label}: {toggle_name}")
                                on:click=move |_| { change.dispatch((toggle_name.clone(), step.clone())); }>
                                {label}
                            </button>
                        }
                    })}
                    <button type="button" class="tk-button tk-button--small tk-account-password"
                        aria-label=format!("{}: {open_name}", s.account_set_password)
                        aria-expanded=move || (password_for.get().as_deref() == Some(open_name.as_str())).to_string()
                        on:click={
                            let open_name = name.clone();
                            move |_| {
                                pw.set(String::new());
                                pw_again.set(String::new());
                                pw_error.set(None);
                                password_for.set(Some(open_name.clone()));
                            }
                        }>
                        {s.account_set_password}
                    </button>
                </div>
                {move || (password_for.get().as_deref() == Some(form_name.as_str()))
                    .then(|| password_form(form_name.clone()))}
            </li>
        }
    };

    view! {
        <div class="tk-accounts">
            <p class="tk-status" role="status" aria-live="polite">{move || status.get()}</p>
            <section aria-labelledby="tk-accounts-heading">
                <h3 id="tk-accounts-heading">{move || strings().accounts_heading}</h3>
                {move || users.get().map(|r| match r {
                    Ok(list) => view! {
                        <ul class="tk-account-list">{list.into_iter().map(row.clone()).collect_view()}</ul>
                    }.into_any(),
                    Err(_) => view! { <p class="tk-error" role="alert">{strings().accounts_failed}</p> }.into_any(),
                })}
            </section>
            <NewAccount on_created=Callback::new(move |name: String| done(|s| s.account_created, &name)) />
        </div>
    }
}

/// "Nytt konto": user name, role, the password twice.
#[component]
fn NewAccount(on_created: Callback<String>) -> impl IntoView {
    let strings = use_staff_strings();
    let base = expect_context::<ApiBase>();
    let role = RwSignal::new(AccountForm::default().role);
    let error = RwSignal::new(None::<(String, &'static str)>);
    let (username, password, repeat) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let create = Action::new_local(move |(): &()| {
        let base = base.clone();
        let input = AccountForm {
            username: username.get_untracked(),
            password: password.get_untracked(),
            repeat: repeat.get_untracked(),
            role: role.get_untracked(),
        };
        async move {
            let s = strings();
            let request = match input.to_request() {
                Ok(r) => r,
                Err(p) => {
                    error.set(Some((p.field().to_owned(), s.account_problem(p))));
                    return;
                }
            };
            match api::create_staff_user(&base, &request).await {
                Ok(user) => {
                    error.set(None);
                    for f in [username, password, repeat] {
                        f.set(String::new());
                    }
                    on_created.run(user.username);
                }
                Err(e) => {
                    let field = e.field().unwrap_or_default().to_owned();
                    error.set(Some((field, s.api_error(Attempt::Account, &e))));
                }
            }
        }
    });
    view! {
        <form class="tk-sheet tk-new-account" novalidate on:submit=move |ev| {
            ev.prevent_default();
            create.dispatch(());
        }>
            <h3>{move || strings().account_new}</h3>
            {move || field("tk-acc-username".into(), strings().username, "text", "off", "username", username, error)}
            <div class="tk-field">
                <label for="tk-acc-role">{move || strings().account_role_label}</label>
                <select id="tk-acc-role"
                    on:change=move |ev| {
                        role.set(Role::parse(&event_target_value(&ev)).unwrap_or(Role::Organiser));
                    }>
                    {Role::ALL.into_iter().map(|r| view! {
                        <option value=r.as_str() selected=move || role.get() == r>
                            {move || strings().role(r)}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            {move || field("tk-acc-new-password".into(), strings().password, "password", "new-password", "password", password, error)}
            {move || field("tk-acc-new-repeat".into(), strings().account_password_repeat, "password", "new-password", "repeat", repeat, error)}
            <p class="tk-muted">{move || strings().account_password_hint}</p>
            {move || error.get().filter(|(f, _)| f.is_empty()).map(|(_, m)| view! { <p class="tk-error" role="alert">{m}</p> })}
            <div class="tk-actions">
                <button type="submit" class="tk-button tk-button--primary tk-create-account" disabled=move || create.pending().get()>
                    {move || strings().account_create}
                </button>
            </div>
        </form>
    }
}
