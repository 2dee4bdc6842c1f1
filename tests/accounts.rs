//! `model::accounts`: Konton's forms, checked with the rules of the server's `user add`.

use trygghetskarta::i18n::Lang;
use trygghetskarta::model::accounts::{
    check_password, may_disable, AccountForm, AccountProblem, MIN_PASSWORD_CHARS,
};
use trygghetskarta_shared::Role;

fn form(username: &str, password: &str, repeat: &str) -> AccountForm {
    AccountForm {
        username: username.into(),
        role: Role::Planner,
        password: password.into(),
        repeat: repeat.into(),
    }
}

#[test]
fn a_new_account_needs_a_name_without_spaces_and_a_long_password_typed_twice() {
    let ok = form("  anna ", "tio tecken!", "tio tecken!")
        .to_request()
        .unwrap();
    assert_eq!(ok.username, "anna");
    assert_eq!(ok.role, Role::Planner);
    assert_eq!(
        form("", "tio tecken!", "tio tecken!").to_request(),
        Err(AccountProblem::Username)
    );
    assert_eq!(
        form("anna karlsson", "tio tecken!", "tio tecken!").to_request(),
        Err(AccountProblem::Username)
    );
    assert_eq!(
        form(&"a".repeat(65), "tio tecken!", "tio tecken!").to_request(),
        Err(AccountProblem::Username)
    );
    assert!(form(&"å".repeat(64), "tio tecken!", "tio tecken!")
        .to_request()
        .is_ok());
    assert_eq!(MIN_PASSWORD_CHARS, 10);
    // Characters, not bytes: "lösenordet" is 10 characters (11 bytes).
    assert_eq!(check_password("lösenordet", "lösenordet"), Ok(()));
    assert_eq!(
        check_password("kort ord!", "kort ord!"),
        Err(AccountProblem::TooShort)
    );
    assert_eq!(
        form("anna", "tio tecken!", "tio tecken?").to_request(),
        Err(AccountProblem::Mismatch)
    );
    assert_eq!(AccountProblem::Mismatch.field(), "repeat");
    assert_eq!(AccountProblem::Taken.field(), "username");
}

#[test]
fn an_admin_may_disable_others_but_not_themself() {
    assert!(may_disable("adam", "anna"));
    assert!(!may_disable("adam", "adam"));
    assert!(
        !may_disable("adam", "Adam"),
        "the server compares without case"
    );
}

#[test]
fn problems_and_roles_have_swedish_and_english_words() {
    let sv = Lang::Sv.staff_strings();
    assert_eq!(
        sv.account_problem(AccountProblem::TooShort),
        "Lösenordet behöver minst 10 tecken."
    );
    assert_eq!(sv.role(Role::Organiser), "Arrangör");
    for lang in [Lang::Sv, Lang::En] {
        let s = lang.staff_strings();
        for r in Role::ALL {
            assert!(!s.role(r).is_empty());
        }
    }
}
