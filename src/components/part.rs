//! Parts of the residents' widget that are not on the first screen live in their own wasm files
//! (the report form, "Mina markeringar", "Vad händer?", the dialogue lists, the outbox, the
//! answers to this device's pins, the chosen pin's card) and are fetched the first time they
//! are needed.
//!
//! A part's entry is declared with [`part!`]: with the `parts` feature (the residents' bundle,
//! `index.html`) it is `#[wasm_split(NAME, fallible, …)]`, Leptos's `#[lazy]` with a load failure
//! returned as [`PartFailed`] instead of a panic (which would stop the whole widget when a phone
//! loses its network), and `scripts/split-widget.py` cuts the wasm there. Without the feature
//! (the staff bundle, tests) it is a plain async function: `wasm_split` exports its entry by
//! name, which would link every part into every bundle of the crate. [`PartSection`] is a page
//! section whose content is such a part, loaded when the resident first opens it.

use std::future::Future;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use crate::context::use_strings;
use crate::i18n::Strings;

/// Declares a part's entry (see the module docs):
/// `part! { NAME [preload PRELOAD]; /// docs  pub fn f(args) -> Result<T, PartFailed> { … } }`.
macro_rules! part {
    (
        $name:ident $(preload $preload:ident)?;
        $(#[doc = $doc:literal])*
        pub fn $f:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block
    ) => {
        #[cfg(feature = "parts")]
        $(#[doc = $doc])*
        #[::leptos::wasm_split::wasm_split(
            $name, fallible, $(preload($preload),)? wasm_split_path = ::leptos::wasm_split
        )]
        pub fn $f($($arg: $ty),*) -> $ret $body

        #[cfg(not(feature = "parts"))]
        $(#[doc = $doc])*
        pub async fn $f($($arg: $ty),*) -> $ret $body

        $(
            #[cfg(not(feature = "parts"))]
            pub async fn $preload() -> Result<(), ::leptos::wasm_split::SplitLoaderError> {
                Ok(())
            }
        )?
    };
}
pub(crate) use part;

/// A part could not be fetched (no network); the next call tries again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartFailed;

impl From<SplitLoaderError> for PartFailed {
    fn from(_: SplitLoaderError) -> Self {
        PartFailed
    }
}

/// A part's view: nothing while it loads; if it could not be fetched, a message and a button
/// that bumps `retry` (which the caller's view tracks to load it again).
pub fn show_part(
    load: impl Future<Output = Result<AnyView, PartFailed>> + Send + 'static,
    retry: RwSignal<u32>,
) -> impl IntoView {
    let strings = use_strings();
    Suspend::new(async move {
        load.await.unwrap_or_else(|PartFailed| {
            view! {
                <p class="tk-error" role="alert">
                    {move || strings().part_failed} " "
                    <button type="button" class="tk-button tk-button--small"
                        on:click=move |_| retry.update(|n| *n += 1)>
                        {move || strings().try_again}
                    </button>
                </p>
            }
            .into_any()
        })
    })
}

/// A section whose heading opens and closes it; its content, a part, is loaded the first time
/// it opens. `heading_id` is the heading's id (links and "Visa mina markeringar" focus it).
#[component]
pub fn PartSection<L, Fut>(
    class: &'static str,
    heading_id: &'static str,
    title: fn(&Strings) -> &'static str,
    section: Section,
    content: L,
) -> impl IntoView
where
    L: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AnyView, PartFailed>> + Send + 'static,
{
    let strings = use_strings();
    let open = section.open;
    let body_id = format!("{heading_id}-body");
    // Once opened, the content stays (hidden while closed), so it keeps its state.
    let shown = Memo::new(move |was: Option<&bool>| was.copied().unwrap_or(false) || open.get());
    let retry = RwSignal::new(0u32);
    let controls = body_id.clone();
    view! {
        <section class=class aria-labelledby=heading_id>
            <h2 id=heading_id tabindex="-1">
                <button type="button" class="tk-section-toggle"
                    aria-expanded=move || open.get().to_string()
                    aria-controls=controls
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {move || title(strings())}
                </button>
            </h2>
            <div id=body_id hidden=move || !open.get()>
                {move || {
                    retry.track();
                    shown.get().then(|| show_part(content(), retry))
                }}
            </div>
        </section>
    }
}

/// Whether a [`PartSection`] is open, and an element in it to move focus to once its part has
/// drawn it (a map marker's session or action, a `?dialog=ID` link).
#[derive(Clone, Copy)]
pub struct Section {
    pub open: RwSignal<bool>,
    pub focus: RwSignal<Option<String>>,
}

impl Section {
    pub fn new() -> Self {
        Section {
            open: RwSignal::new(false),
            focus: RwSignal::new(None),
        }
    }

    /// Opens the section and focuses the element with this id in it: now if its part has drawn
    /// it already, else once it has.
    pub fn show(self, element_id: String) {
        self.open.set(true);
        if !focus_now(&element_id) {
            self.focus.set(Some(element_id));
        }
    }

    /// For the part: focuses the element asked for once `ready` (its list is drawn).
    pub fn focus_when(self, ready: impl Fn() -> bool + Send + Sync + 'static) {
        Effect::new(move |_| {
            let Some(id) = self.focus.get().filter(|_| ready()) else {
                return;
            };
            self.focus.set(None);
            request_animation_frame(move || {
                focus_now(&id);
            });
        });
    }
}

impl Default for Section {
    fn default() -> Self {
        Self::new()
    }
}

/// Scrolls to the element with this id and focuses it; false if there is none (yet).
fn focus_now(id: &str) -> bool {
    let Some(el) = crate::dom::by_id(id) else {
        return false;
    };
    el.scroll_into_view();
    let _ = el.focus();
    true
}

/// Opens a section and moves focus to its heading.
pub fn open_and_focus(open: RwSignal<bool>, heading_id: &'static str) {
    open.set(true);
    focus_now(heading_id);
}
