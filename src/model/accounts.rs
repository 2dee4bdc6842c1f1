//! Konton (admins): the new-account and new-password forms checked before sending, with the
//! rules of the server's `user add` (a name of 1–64 characters without spaces, a password of at
//! least [`MIN_PASSWORD_CHARS`]), and which accounts the admin may disable.

use trygghetskarta_shared::{NewStaffUser, Role};

use crate::i18n::StaffStrings;

/// Shortest password the server takes (`crates/server/src/password.rs`).
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest user name the server takes.
pub const MAX_USERNAME_CHARS: usize = 64;

/// What is wrong with a form, and the field it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountProblem {
    /// Empty, too long, or with spaces.
    Username,
    /// The server already has an account with this name.
    Taken,
    TooShort,
    /// The two passwords differ.
    Mismatch,
}

impl AccountProblem {
    /// The form field (`id` suffix) the message belongs beside.
    pub fn field(self) -> &'static str {
        match self {
            AccountProblem::Username | AccountProblem::Taken => "username",
            AccountProblem::TooShort => "password",
            AccountProblem::Mismatch => "repeat",
        }
    }
}

/// A password typed twice.
pub fn check_password(password: &str, repeat: &str) -> Result<(), AccountProblem> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Err(AccountProblem::TooShort)
    } else if password != repeat {
        Err(AccountProblem::Mismatch)
    } else {
        Ok(())
    }
}

/// The "Nytt konto" form as its inputs hold it.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountForm {
    pub username: String,
    pub role: Role,
    pub password: String,
    pub repeat: String,
}

impl Default for AccountForm {
    fn default() -> Self {
        AccountForm {
            username: String::new(),
            role: Role::Organiser,
            password: String::new(),
            repeat: String::new(),
        }
    }
}

impl AccountForm {
    /// The request, or the first problem (in the form's order).
    pub fn to_request(&self) -> Result<NewStaffUser, AccountProblem> {
        let name = self.username.trim();
        if name.is_empty()
            || name.chars().count() > MAX_USERNAME_CHARS
            || name.chars().any(char::is_whitespace)
        {
            return Err(AccountProblem::Username);
        }
        check_password(&self.password, &self.repeat)?;
        Ok(NewStaffUser {
            username: name.to_owned(),
            role: self.role,
            password: self.password.clone(),
        })
    }
}

/// An admin may disable any account but their own (the server refuses that too).
pub fn may_disable(me: &str, account: &str) -> bool {
    !me.eq_ignore_ascii_case(account)
}

// The labels, beside their types so that i18n depends on nothing in the widget.
impl StaffStrings {
    pub fn account_problem(&self, p: AccountProblem) -> &'static str {
        match p {
            AccountProblem::Username => self.err_username,
            AccountProblem::Taken => self.err_username_taken,
            AccountProblem::TooShort => self.err_password_short,
            AccountProblem::Mismatch => self.err_password_mismatch,
        }
    }

    /// "Arrangör", "Planerare", "Administratör".
    pub fn role(&self, r: Role) -> &'static str {
        match r {
            Role::Organiser => self.role_organiser,
            Role::Planner => self.role_planner,
            Role::Admin => self.role_admin,
        }
    }
}
