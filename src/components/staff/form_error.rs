//! The återkoppling forms' messages beside their fields: a form keeps the field a message
//! belongs to ("" for the whole form) and the message; these show it and mark the field.

use leptos::prelude::*;

/// The field a message belongs to ("" for the whole form) and the message.
pub type FormError = RwSignal<Option<(String, &'static str)>>;

/// `aria-invalid` of a field.
pub fn invalid(error: FormError, field: &'static str) -> impl Fn() -> String + Clone + Send + Sync {
    move || {
        error
            .with(|e| e.as_ref().is_some_and(|(f, _)| f == field))
            .to_string()
    }
}

/// The message for a field, announced when it appears.
pub fn field_message(
    error: FormError,
    field: &'static str,
) -> impl Fn() -> Option<AnyView> + Clone + Send + Sync {
    move || {
        error
            .get()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| view! { <p class="tk-field-error" role="alert">{m}</p> }.into_any())
    }
}
