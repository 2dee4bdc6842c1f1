//! The strings tables: every typed value has its label, in both languages.

use trygghetskarta::i18n::Lang;
use trygghetskarta_shared::{DialogueKind, DialogueOrganiser, ModerationAction};

#[test]
fn dialogue_kinds_organisers_and_moderation_steps_have_labels() {
    let sv = Lang::Sv.staff_strings();
    assert_eq!(sv.dialogue_kind(DialogueKind::Walk), "Trygghetsvandring");
    assert_eq!(sv.organiser(DialogueOrganiser::Polis), "Polisen");
    for lang in [Lang::Sv, Lang::En] {
        let s = lang.staff_strings();
        let kinds: Vec<_> = DialogueKind::ALL.map(|k| s.dialogue_kind(k)).into();
        let organisers: Vec<_> = DialogueOrganiser::ALL.map(|o| s.organiser(o)).into();
        let actions: Vec<_> = ModerationAction::ALL.map(|a| s.moderation_action(a)).into();
        for labels in [&kinds, &organisers, &actions] {
            assert!(
                labels.iter().all(|l| !l.trim().is_empty()),
                "{lang:?}: {labels:?}"
            );
            let mut unique = labels.to_vec();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), labels.len(), "{lang:?}: {labels:?}");
        }
    }
}

#[test]
fn counts_of_one_take_the_singular() {
    use trygghetskarta::i18n::fill_count;
    let sv = Lang::Sv.staff_strings();
    assert_eq!(
        fill_count(sv.action_pins_count_one, sv.action_pins_count, 1),
        "1 markering är kopplad."
    );
    assert_eq!(
        fill_count(sv.action_pins_count_one, sv.action_pins_count, 2),
        "2 markeringar är kopplade."
    );
    assert_eq!(
        fill_count(sv.action_pins_one, sv.action_pins, 0),
        "0 markeringar ingår"
    );
    assert_eq!(
        fill_count(sv.action_dialogues_count_one, sv.action_dialogues_count, 1),
        "1 dialog"
    );
}

#[test]
fn labels_are_lowercased_as_unicode_would() {
    use trygghetskarta::i18n::lowercase;
    use trygghetskarta_shared::{ActionState, PinStatus, TimeOfDay};
    for lang in [Lang::Sv, Lang::En] {
        let s = lang.staff_strings();
        let labels = TimeOfDay::ALL
            .map(|t| s.time_of_day(t))
            .into_iter()
            .chain(PinStatus::ALL.iter().map(|p| s.pin_status(*p)))
            .chain(ActionState::ALL.iter().map(|a| s.action_state(*a)));
        for label in labels {
            assert_eq!(lowercase(label), label.to_lowercase(), "{lang:?}");
        }
    }
    assert_eq!(lowercase("Åtgärd ÄR Öppen"), "åtgärd är öppen");
}
