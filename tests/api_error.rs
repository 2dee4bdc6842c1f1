//! What a failed request reads as (`api::error`): one table per form, the same messages the
//! forms have always shown.

use trygghetskarta::api::{ApiError, Attempt};
use trygghetskarta::i18n::{Lang, StaffStrings};

fn server(status: u16, code: &str, field: Option<&str>) -> ApiError {
    ApiError::Server {
        status,
        code: code.into(),
        message: String::new(),
        field: field.map(Into::into),
    }
}

fn sv() -> &'static StaffStrings {
    Lang::Sv.staff_strings()
}

#[test]
fn no_answer_or_an_unreadable_one_is_the_generic_message_everywhere() {
    let s = sv();
    for attempt in [
        Attempt::Report,
        Attempt::Agree,
        Attempt::Dialogue,
        Attempt::Planner,
        Attempt::Login,
    ] {
        for e in [ApiError::Network, ApiError::Decode("x")] {
            assert_eq!(s.api_error(attempt, &e), s.err_generic, "{attempt:?} {e:?}");
        }
    }
}

#[test]
fn a_refused_report_names_what_to_fix() {
    let s = sv();
    let at = |e: ApiError| s.api_error(Attempt::Report, &e);
    assert_eq!(at(server(429, "rate_limited", None)), s.err_rate);
    assert_eq!(
        at(server(422, "outside_area", Some("lat"))),
        s.outside_kommun
    );
    assert_eq!(at(server(400, "too_long", Some("comment"))), s.err_comment);
    assert_eq!(
        at(server(400, "validation", Some("category"))),
        s.err_category
    );
    assert_eq!(
        at(server(400, "validation", Some("time_of_day"))),
        s.err_time
    );
    assert_eq!(at(server(409, "conflict", Some("id"))), s.err_generic);
    assert_eq!(at(server(400, "validation", None)), s.err_generic);
}

#[test]
fn agreeing_from_the_form_tells_only_the_rate_limit_apart() {
    let s = sv();
    let at = |e: ApiError| s.api_error(Attempt::Agree, &e);
    assert_eq!(at(server(429, "rate_limited", None)), s.err_rate);
    assert_eq!(at(server(404, "not_found", None)), s.err_generic);
    assert_eq!(at(server(422, "outside_area", None)), s.err_generic);
}

#[test]
fn dialogue_errors_belong_to_their_field() {
    let s = sv();
    let at = |e: ApiError| s.api_error(Attempt::Dialogue, &e);
    assert_eq!(
        at(server(422, "outside_area", Some("lat"))),
        s.outside_kommun
    );
    assert_eq!(
        at(server(400, "validation", Some("place"))),
        s.err_place_pick
    );
    assert_eq!(at(server(400, "required", Some("title"))), s.err_required);
    assert_eq!(
        at(server(400, "too_long", Some("description"))),
        s.err_too_long
    );
    assert_eq!(at(server(400, "validation", Some("starts_at"))), s.err_when);
    assert_eq!(at(server(400, "validation", Some("ends_at"))), s.err_end);
    assert_eq!(at(server(400, "validation", Some("online_url"))), s.err_url);
    assert_eq!(
        at(server(400, "validation", Some("registration_url"))),
        s.err_url
    );
    assert_eq!(at(server(400, "validation", Some("kind"))), s.err_generic);
    assert_eq!(at(server(403, "forbidden", None)), s.err_generic);
    // The code decides before the field, as it always has.
    assert_eq!(
        at(server(400, "required", Some("starts_at"))),
        s.err_required
    );
    // The editor's own check before sending uses the same table.
    assert_eq!(
        s.dialogue_field_error("starts_at", "required"),
        s.err_required
    );
    assert_eq!(
        s.dialogue_field_error("place", "required"),
        s.err_place_pick
    );
    assert_eq!(
        server(400, "required", Some("title")).field(),
        Some("title")
    );
    assert_eq!(ApiError::Network.field(), None);
}

#[test]
fn moderation_errors_ask_for_a_reason_or_a_shorter_text() {
    let s = sv();
    let at = |e: ApiError| s.api_error(Attempt::Planner, &e);
    assert_eq!(at(server(400, "required", Some("reason"))), s.err_required);
    assert_eq!(at(server(400, "too_long", Some("reason"))), s.err_required);
    assert_eq!(at(server(400, "too_long", Some("comment"))), s.err_too_long);
    assert_eq!(at(server(403, "forbidden", None)), s.err_generic);
}

#[test]
fn a_failed_login_says_why() {
    let s = sv();
    let at = |e: ApiError| s.api_error(Attempt::Login, &e);
    assert_eq!(at(server(429, "rate_limited", None)), s.too_many_attempts);
    assert_eq!(at(server(401, "unauthorized", None)), s.login_failed);
    assert_eq!(at(server(500, "internal", None)), s.err_generic);
}

#[test]
fn the_messages_exist_in_english_too() {
    let (sv, en) = (Lang::Sv.staff_strings(), Lang::En.staff_strings());
    let e = server(401, "unauthorized", None);
    assert_eq!(en.api_error(Attempt::Login, &e), en.login_failed);
    assert_ne!(en.login_failed, sv.login_failed);
}

#[test]
fn the_residents_table_words_a_report_and_an_agree_as_the_staff_table_does() {
    // The residents' widget carries only `Strings`: its reports and agrees read the same from
    // it; the staff view's attempts, which it never makes, get the generic message there.
    for lang in [Lang::Sv, Lang::En] {
        let (common, staff) = (lang.strings(), lang.staff_strings());
        let answers = [
            server(429, "rate_limited", None),
            server(422, "outside_area", Some("lat")),
            server(400, "too_long", Some("comment")),
            server(400, "validation", Some("category")),
            server(400, "validation", Some("time_of_day")),
            server(400, "validation", Some("notify_email")),
            server(500, "internal", None),
            ApiError::Network,
        ];
        for e in &answers {
            for attempt in [Attempt::Report, Attempt::Agree] {
                assert_eq!(common.api_error(attempt, e), staff.api_error(attempt, e));
            }
            for attempt in [Attempt::Login, Attempt::Account, Attempt::Followup] {
                assert_eq!(common.api_error(attempt, e), common.err_generic);
            }
        }
        assert_eq!(
            common.api_error(Attempt::Report, &answers[1]),
            common.outside_kommun
        );
    }
}
