//! The lists the residents' widget shows besides the map's pins: the actions (areas on the map,
//! "Vad händer?"), the upcoming and the closed dialogue sessions (markers, the dialogue
//! section), and a pin asked for by a mail's link (`?pin=ID`). Their requests and the code
//! that reads their answers are a part of their own (`lists`, 10 KB Brotli), so the first
//! screen's wasm does not carry them; [`FirstScreen`] holds the first three back until the
//! map has drawn its first pins, so they never compete with the first screen for a phone's
//! network (docs/PERFORMANCE.md, "The first screen under 200 KB").
//!
//! Each entry returns the request as a boxed future: a part's function cannot be `async`
//! (`wasm_split`), and the future's code (the JSON reading) stays in the part.

use std::future::Future;
use std::pin::Pin;
use std::task::{Poll, Waker};
use std::time::Duration;

use leptos::prelude::*;
use trygghetskarta_shared::{Action, Dialogue, PublicPin};
use uuid::Uuid;

use crate::api::{self, ApiBase, ApiError};
use crate::components::part::{part, PartFailed};

/// A request made in the part.
pub type Request<T> = Pin<Box<dyn Future<Output = T>>>;

part! {
    lists;
    /// "Vad händer?"'s and the map's actions.
    pub fn actions_request(base: ApiBase) -> Result<Request<Result<Vec<Action>, ApiError>>, PartFailed> {
        Ok(Box::pin(async move { api::actions(&base).await }))
    }
}

part! {
    lists;
    /// The upcoming dialogue sessions.
    pub fn dialogues_request(base: ApiBase) -> Result<Request<Result<Vec<Dialogue>, ApiError>>, PartFailed> {
        Ok(Box::pin(async move { api::dialogues(&base).await }))
    }
}

part! {
    lists;
    /// "Genomförda dialoger", with what was heard.
    pub fn closed_request(base: ApiBase) -> Result<Request<Result<Vec<Dialogue>, ApiError>>, PartFailed> {
        Ok(Box::pin(async move { api::closed_dialogues(&base).await }))
    }
}

part! {
    lists;
    /// The pin a mail's link names, as the public map has it (`None` if it is not public).
    pub fn linked_request(base: ApiBase, id: Uuid) -> Result<Request<Option<PublicPin>>, PartFailed> {
        Ok(Box::pin(async move {
            api::lookup_pins(&base, vec![id]).await.ok()?.into_iter().next()
        }))
    }
}

/// A list as a resource: `request` (one of the part's entries above) made once `first` is
/// drawn, again whenever `track` says so, and again when the browser is back online after it
/// failed for lack of a network ([`reload_when_online`]).
pub fn list<T, F, Fut>(
    first: FirstScreen,
    base: ApiBase,
    track: impl Fn() + 'static,
    request: F,
) -> LocalResource<Result<T, ApiError>>
where
    T: 'static,
    F: Fn(ApiBase) -> Fut + Copy + 'static,
    Fut: Future<Output = Result<Request<Result<T, ApiError>>, PartFailed>> + 'static,
{
    let list = LocalResource::new(move || {
        track();
        let base = base.clone();
        async move {
            first.drawn().await;
            through_part(request(base)).await
        }
    });
    reload_when_online(list);
    list
}

/// The part's request, or [`ApiError::Network`] when the part could not be fetched (no
/// network: the lists show their "could not be loaded" message, as a failed request does).
async fn through_part<T>(
    request: impl Future<Output = Result<Request<Result<T, ApiError>>, PartFailed>>,
) -> Result<T, ApiError> {
    match request.await {
        Ok(request) => request.await,
        Err(PartFailed) => Err(ApiError::Network),
    }
}

/// Loads a list again when the browser is back online, if it could not be loaded for lack of a
/// network (its part or its request): the lists come a moment after the first screen, so a
/// phone that loses its network then must not keep "could not be loaded" until a reload.
fn reload_when_online<T: 'static>(list: LocalResource<Result<T, ApiError>>) {
    let handle = window_event_listener(leptos::ev::online, move |_| {
        let offline = list
            .try_with_untracked(|r| matches!(r, Some(Err(ApiError::Network))))
            .unwrap_or(false);
        if offline {
            list.refetch();
        }
    });
    // For the widget's lifetime, as the outbox's retries.
    std::mem::forget(handle);
}

/// Whether the map has drawn its first pins (or their first tile failed): the lists wait for
/// it. Provided by the residents' root; the pin layer says when.
#[derive(Clone, Copy)]
pub struct FirstScreen {
    drawn: StoredValue<bool>,
    waiting: StoredValue<Vec<Waker>>,
}

impl FirstScreen {
    /// Not drawn yet; drawn anyway after `limit` (a pin tile that never answers must not keep
    /// the lists away).
    pub fn new(limit: Duration) -> Self {
        let first = FirstScreen {
            drawn: StoredValue::new(false),
            waiting: StoredValue::new(Vec::new()),
        };
        set_timeout(move || first.set_drawn(), limit);
        first
    }

    pub fn is_drawn(self) -> bool {
        self.drawn.get_value()
    }

    /// The first screen is drawn: whatever waits for it goes on.
    pub fn set_drawn(self) {
        if !self.drawn.get_value() {
            self.drawn.set_value(true);
            self.waiting
                .update_value(|w| w.drain(..).for_each(Waker::wake));
        }
    }

    /// Ready once the first screen is drawn. (Not a tracked signal: a resource runs its futures
    /// one after another, so one that waited on a signal could never see it change.)
    pub fn drawn(self) -> impl Future<Output = ()> {
        std::future::poll_fn(move |cx| {
            if self.drawn.get_value() {
                Poll::Ready(())
            } else {
                self.waiting.update_value(|w| {
                    if !w.iter().any(|known| known.will_wake(cx.waker())) {
                        w.push(cx.waker().clone());
                    }
                });
                Poll::Pending
            }
        })
    }
}
