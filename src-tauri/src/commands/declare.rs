//! How a domain declares the commands the window invokes: each once, in a `commands!` block.
//! From it come the Tauri command, the domain's handler, and the command's signature for the
//! window's typed client (`ui/src/lib/bindings/Commands.ts`, written by `cargo test`), so a
//! misspelt name or a wrong argument in the window fails `svelte-check`.
//!
//! ```ignore
//! commands! {
//!     /// The calls of the center's days `from` to `to`.
//!     signed_in fn calls_between(from: String, to: String) -> Vec<CallSummary> =
//!         |desk, session| calls::between(desk, session, parse_day(&from)?, parse_day(&to)?);
//!     desk fn sign_in_choices() -> Vec<SignInChoice> = |desk| accounts::sign_in_choices(desk);
//!     shell fn sync_now[app: AppHandle, sync: State<'_, SyncState>]() -> SyncReport { ... }
//! }
//! ```
//! `signed_in` runs on the desk with the session signed in (refused when nobody is); `desk` runs
//! on the desk with nobody needed; `shell` is written out whole, given the state it names in
//! brackets, and returns `Result<_, CommandError>` itself.

/// A command as the window calls it: its name, its arguments and what it returns, in TypeScript.
#[cfg(test)]
pub struct Signature {
    pub name: &'static str,
    pub args: Vec<(&'static str, super::client::TsType)>,
    pub result: super::client::TsType,
}

macro_rules! commands {
    ($(
        $(#[doc = $doc:literal])*
        $kind:ident fn $name:ident $([$($state:ident: $state_ty:ty),* $(,)?])?
            ($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty
            $(= |$($param:tt),*| $body:expr;)?
            $($block:block)?
    )*) => {
        $(
            commands!(@command [$(#[doc = $doc])*] $kind $name [$($($state: $state_ty),*)?] ($($arg: $ty),*) -> $ret
                $(= |$($param),*| $body)? $($block)?);
        )*

        /// The names of this domain's commands, as the window invokes them.
        pub(super) const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// Runs the command the window invoked, when it is one of this domain's.
        pub(super) fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// This domain's commands as the window's typed client declares them.
        #[cfg(test)]
        pub(super) fn signatures() -> Vec<super::declare::Signature> {
            vec![$(super::declare::Signature {
                name: stringify!($name),
                args: vec![$((stringify!($arg), super::client::TsType::of::<$ty>())),*],
                result: super::client::TsType::of::<$ret>(),
            }),*]
        }
    };

    (@command [$($attr:tt)*] signed_in $name:ident [] ($($arg:ident: $ty:ty),*) -> $ret:ty
        = |$desk:tt, $session:tt| $body:expr) => {
        $($attr)*
        #[tauri::command(rename_all = "snake_case")]
        pub async fn $name(
            desk: tauri::State<'_, crate::state::DeskState>,
            $($arg: $ty),*
        ) -> Result<$ret, crate::state::CommandError> {
            desk.run_signed_in(move |$desk, $session| $body).await
        }
    };

    (@command [$($attr:tt)*] desk $name:ident [] ($($arg:ident: $ty:ty),*) -> $ret:ty = |$desk:tt| $body:expr) => {
        $($attr)*
        #[tauri::command(rename_all = "snake_case")]
        pub async fn $name(
            desk: tauri::State<'_, crate::state::DeskState>,
            $($arg: $ty),*
        ) -> Result<$ret, crate::state::CommandError> {
            desk.run(move |$desk| $body).await
        }
    };

    (@command [$($attr:tt)*] shell $name:ident [$($state:ident: $state_ty:ty),*] ($($arg:ident: $ty:ty),*) -> $ret:ty
        $block:block) => {
        $($attr)*
        #[tauri::command(rename_all = "snake_case")]
        pub async fn $name($($state: $state_ty,)* $($arg: $ty),*) -> Result<$ret, crate::state::CommandError> $block
    };
}

pub(crate) use commands;
