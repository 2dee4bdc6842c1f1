//! The widget's header: title, kommun, the language switch and (for residents) the introduction.

use leptos::prelude::*;

use crate::context::{use_lang, use_strings};
use crate::i18n::Lang;

/// "In English" / "På svenska": switches the widget's language (written in the language it
/// switches to, with its `lang`), and remembers the choice on this device.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let other = move || match lang.get() {
        Lang::Sv => Lang::En,
        Lang::En => Lang::Sv,
    };
    view! {
        <button type="button" class="tk-button tk-button--small tk-lang"
            lang=move || other().tag()
            on:click=move |_| {
                let next = other();
                lang.set(next);
                crate::device::set(crate::device::LANG_KEY, next.tag());
                crate::dom::set_page_lang(next.tag());
            }>
            {move || other().strings().switch_language}
        </button>
    }
}

/// The widget's title, the kommun, the language switch and (for residents) the introduction.
#[component]
pub fn Header(intro: bool) -> impl IntoView {
    let strings = use_strings();
    view! {
        <header class="tk-header">
            <LanguageSwitch />
            <h1 class="tk-title">{move || strings().app_title}</h1>
            <p class="tk-subtitle">{move || strings().kommun_name}</p>
            {intro.then(|| view! { <p class="tk-intro">{move || strings().intro}</p> })}
        </header>
    }
}
