//! The selection's pins as a list, sorted and paged ([`PAGE_SIZE`] a page); the sort and page
//! live in the selection, so in the address.

use leptos::prelude::*;
use trygghetskarta_shared::StaffPin;
use uuid::Uuid;

use super::answer::{AnswerForm, Target};
use super::pin_card::PinCard;
use crate::api::Moderation;
use crate::components::staff::Selection;
use crate::context::use_staff_strings;
use crate::geo::LonLat;
use crate::i18n::fill;
use crate::model::answer::{BulkSelection, StatusForm};
use crate::model::pin_list::{sort_pins, ListView, Page, SortOrder, PAGE_SIZE};

const HEADING_ID: &str = "tk-list-heading";

#[component]
pub fn PinList(
    /// The whole selection, newest first (as the API gives it).
    pins: Vec<StaffPin>,
    moderate: Action<(Uuid, Moderation), bool>,
    show: Callback<LonLat>,
    /// The ticked pins for "Svara alla valda" (kept across pages and reloads).
    picked: RwSignal<BulkSelection>,
) -> impl IntoView {
    let strings = use_staff_strings();
    let sel = expect_context::<Selection>();
    let total = pins.len();
    let all_ids: Vec<Uuid> = pins.iter().map(|p| p.id).collect();
    let pins = StoredValue::new(pins);
    let answering = RwSignal::new(false);
    let page = Memo::new(move |_| Page::of(total, sel.list.get().page, PAGE_SIZE));
    let sorted = Memo::new(move |_| {
        let mut list = pins.get_value();
        sort_pins(&mut list, sel.list.get().sort);
        list
    });
    let turn = move |to: usize| {
        sel.list.update(|l| l.page = to);
        // Keyboard and screen reader users start reading the new page at its top.
        request_animation_frame(|| crate::dom::focus_id(HEADING_ID));
    };
    let page_label = move || strings().page_of(page.get());
    view! {
        <section class="tk-pin-list-section" aria-labelledby=HEADING_ID>
            <div class="tk-list-head">
                <h3 id=HEADING_ID tabindex="-1">
                    {move || strings().list_heading}
                    <span class="tk-muted tk-page-of">{move || format!(" · {}", page_label())}</span>
                </h3>
                <div class="tk-field tk-field--inline">
                    <label for="tk-sort">{move || strings().sort_label}</label>
                    <select id="tk-sort" prop:value=move || sel.list.get().sort.code()
                        on:change=move |ev| {
                            let sort = SortOrder::parse(&event_target_value(&ev)).unwrap_or_default();
                            sel.list.set(ListView { sort, page: 1 });
                        }>
                        {SortOrder::ALL.into_iter().map(|o| view! {
                            <option value=o.code() selected=move || sel.list.get().sort == o>
                                {move || strings().sort_order(o)}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <div class="tk-bulk-bar">
                <p class="tk-muted tk-bulk-count">{move || fill(strings().bulk_count, picked.with(BulkSelection::len))}</p>
                <div class="tk-actions">
                    <button type="button" class="tk-button tk-button--small tk-select-all"
                        on:click=move |_| picked.update(|p| p.select_all(all_ids.iter().copied()))>
                        {move || fill(strings().bulk_select_all, total)}
                    </button>
                    <button type="button" class="tk-button tk-button--small tk-select-none"
                        disabled=move || picked.with(BulkSelection::is_empty)
                        on:click=move |_| picked.update(BulkSelection::clear)>
                        {move || strings().bulk_clear}
                    </button>
                    <button type="button" class="tk-button tk-button--small tk-answer-selected"
                        aria-expanded=move || answering.get().to_string()
                        disabled=move || picked.with(BulkSelection::is_empty)
                        on:click=move |_| answering.set(true)>
                        {move || strings().bulk_answer_selected}
                    </button>
                </div>
                {move || answering.get().then(|| view! {
                    <AnswerForm target=Target::Many(picked.with_untracked(BulkSelection::ids))
                        initial=StatusForm::default() key="tk-answer-selected".to_owned()
                        close=Callback::new(move |()| answering.set(false))
                        saved=Callback::new(move |()| picked.update(BulkSelection::clear)) />
                })}
            </div>
            <ul class="tk-pin-list">
                {move || {
                    let p = page.get();
                    sorted.with(|list| {
                        list[p.start..p.end].iter().cloned().map(|pin| view! {
                            <li><PinCard pin=pin moderate=moderate show=show picked=picked /></li>
                        }).collect_view()
                    })
                }}
            </ul>
            {move || (page.get().pages > 1).then(|| view! {
                <nav class="tk-pager" aria-label=move || strings().pages_label>
                    <button type="button" class="tk-button tk-button--small tk-page-previous"
                        disabled=move || !page.get().has_previous()
                        on:click=move |_| turn(page.get_untracked().number - 1)>
                        {move || strings().page_previous}
                    </button>
                    <span class="tk-page-status">{page_label}</span>
                    <button type="button" class="tk-button tk-button--small tk-page-next"
                        disabled=move || !page.get().has_next()
                        on:click=move |_| turn(page.get_untracked().number + 1)>
                        {move || strings().page_next}
                    </button>
                </nav>
            })}
        </section>
    }
}
