//! The shape of the core, kept by a test: each module uses only the modules below it, so a
//! change to a domain cannot reach the store or the sync engine, and the import circle that
//! once tied twelve files together cannot come back unnoticed.
//!
//! The test reads `src/` as text: every `crate::…` and `super::…` path outside test code is
//! an edge from the file to the module it names. `cargo test -p porchlight-core --test
//! layering` lists every edge that points the wrong way.

use std::collections::BTreeMap;
use std::path::Path;

/// Every module of the core, lowest first. A module may use those in lower places and those
/// that share its place *and* its unit (the sync engine's files among themselves); nothing
/// above it. The domains are in an order of their own: a domain may use the ones before it.
const LAYERS: &[(&str, &[&str])] = &[
    ("base", &["error", "clock", "text", "ids"]),
    (
        "sync engine",
        &[
            "sync/error",
            "sync/entity",
            "sync/record",
            "sync/seal",
            "sync/state",
            "sync/trusted_time",
            "sync/outbox",
            "sync/inbox",
            "sync/erasure",
            "sync/client",
        ],
    ),
    ("store", &["store", "encryption"]),
    ("sync", &["sync/mod", "sync/keys"]),
    ("access", &["access/mod", "access/session"]),
    ("audit", &["audit"]),
    ("shared by domains", &["recurrence", "calendar", "retirable"]),
    ("settings", &["settings"]),
    ("services", &["services"]),
    ("people", &["people"]),
    ("consent", &["consent"]),
    ("visits", &["visits"]),
    ("accounts", &["accounts/mod", "accounts/sign_in"]),
    ("hub link", &["hub_link"]),
    ("front desk", &["front_desk"]),
    ("one person counted once", &["same_person"]),
    ("groups", &["groups/mod", "groups/schedule", "groups/sessions", "groups/attendance", "groups/figures"]),
    (
        "warmline",
        &[
            "warmline/mod",
            "warmline/calls",
            "warmline/callers",
            "warmline/resources",
            "warmline/follow_ups",
            "warmline/handoff",
            "warmline/figures",
            "warmline/retention",
        ],
    ),
    (
        "volunteers",
        &[
            "volunteers/mod",
            "volunteers/credentials",
            "volunteers/templates",
            "volunteers/shifts",
            "volunteers/assignments",
            "volunteers/hours",
        ],
    ),
    (
        "across domains",
        &[
            "export/mod",
            "export/front_desk",
            "export/groups",
            "export/warmline",
            "export/volunteers",
            "import",
            "reports/mod",
            "reports/center",
            "reports/files",
            "reports/network",
            "reports/pdf",
            "demo/mod",
            "demo/groups",
            "demo/warmline",
            "demo/volunteers",
            "backup",
        ],
    ),
    ("the desk's round", &["round"]),
    ("wiring", &["lib"]),
    // Compiled only for tests (core's own, and the porchlight-testkit crate's users).
    ("test kit", &["testkit"]),
];

/// What the crate root re-exports, by the module that defines it.
const ROOT_ITEMS: &[(&str, &str)] = &[
    ("Error", "error"),
    ("Result", "error"),
    ("ImportRowError", "error"),
    ("Clock", "clock"),
    ("FixedClock", "clock"),
    ("SystemClock", "clock"),
    ("Timestamp", "clock"),
    ("new_id", "ids"),
    ("Desk", "store"),
    ("DATABASE_FILE_NAME", "store"),
    ("ensure_writable", "store"),
];

#[test]
fn each_module_uses_only_the_modules_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let place: BTreeMap<&str, (usize, &str)> = LAYERS
        .iter()
        .enumerate()
        .flat_map(|(rank, (layer, modules))| modules.iter().map(move |module| (*module, (rank, *layer))))
        .collect();
    let mut files = Vec::new();
    collect_sources(&src, &mut files);
    let mut wrong = Vec::new();
    let mut unplaced = Vec::new();
    for path in files {
        let module = module_of(&src, &path);
        let Some(&(rank, layer)) = place.get(module.as_str()) else {
            unplaced.push(module);
            continue;
        };
        let code = without_test_code(&std::fs::read_to_string(&path).unwrap());
        for used in modules_used(&module, &code) {
            if used == module {
                continue;
            }
            let Some(&(used_rank, used_layer)) = place.get(used.as_str()) else {
                wrong.push(format!("{module} uses {used}, which has no place in LAYERS"));
                continue;
            };
            if used_rank > rank || (used_rank == rank && used_layer != layer) {
                wrong.push(format!("{module} ({layer}) uses {used} ({used_layer}), which is above it"));
            }
        }
    }
    assert!(unplaced.is_empty(), "modules with no place in LAYERS: {unplaced:?}");
    assert!(wrong.is_empty(), "imports against the layering:\n{}", wrong.join("\n"));
}

/// Tables no record type's `Table` declaration names, by the module that owns each.
const TABLE_OWNERS: &[(&str, &str)] = &[
    ("audit_log", "audit"),
    ("center_keys", "sync/keys"),
    ("outbox", "sync/outbox"),
    ("people_search", "people"),
    ("settings", "settings"),
    ("sign_in_failures", "accounts/sign_in"),
    ("sync_hub_holds", "sync/outbox"),
    ("sync_parked", "sync/inbox"),
    ("sync_records", "sync/record"),
    ("sync_state", "sync/state"),
    ("sync_unopened", "sync/mod"),
    ("warmline_open_calls", "warmline/calls"),
];

#[test]
fn each_table_belongs_to_one_module_and_sql_names_another_modules_only_where_the_layers_allow() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let place: BTreeMap<&str, (usize, &str)> = LAYERS
        .iter()
        .enumerate()
        .flat_map(|(rank, (layer, modules))| modules.iter().map(move |module| (*module, (rank, *layer))))
        .collect();
    let mut files = Vec::new();
    collect_sources(&src, &mut files);
    let code: Vec<(String, String)> = files
        .iter()
        .map(|path| (module_of(&src, path), outside_tests(&std::fs::read_to_string(path).unwrap()).to_owned()))
        .collect();

    // Every table the migrations leave, and its one owner.
    let mut tables = std::collections::BTreeSet::new();
    let mut migrations: Vec<_> =
        std::fs::read_dir(root.join("migrations")).unwrap().map(|e| e.unwrap().path()).collect();
    migrations.sort();
    for migration in migrations {
        let sql = std::fs::read_to_string(migration).unwrap();
        let words = sql_words(&sql);
        for (index, word) in words.iter().enumerate() {
            let next = |skip: usize| words.get(index + skip).map(String::as_str).unwrap_or_default().to_owned();
            match word.to_ascii_uppercase().as_str() {
                "CREATE" if next(1).eq_ignore_ascii_case("TABLE") || next(2).eq_ignore_ascii_case("TABLE") => {
                    let at = if next(1).eq_ignore_ascii_case("TABLE") { 2 } else { 3 };
                    let name = if next(at).eq_ignore_ascii_case("IF") { next(at + 3) } else { next(at) };
                    tables.insert(name);
                }
                "DROP" if next(1).eq_ignore_ascii_case("TABLE") => {
                    tables.remove(&next(if next(2).eq_ignore_ascii_case("IF") { 4 } else { 2 }));
                }
                "RENAME" if next(1).eq_ignore_ascii_case("TO") && index >= 3 => {
                    tables.remove(&words[index - 1]);
                    tables.insert(next(2));
                }
                _ => {}
            }
        }
    }
    let mut owners: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (module, text) in &code {
        for marker in ["table: \"", "occurrences: \""] {
            for (start, _) in text.match_indices(marker) {
                let name = text[start + marker.len()..].split('"').next().unwrap();
                owners.entry(name.to_owned()).or_default().push(module.clone());
            }
        }
    }
    for (table, module) in TABLE_OWNERS {
        owners.entry((*table).to_owned()).or_default().push((*module).to_owned());
    }
    let unowned: Vec<&String> = tables.iter().filter(|table| !owners.contains_key(*table)).collect();
    assert!(unowned.is_empty(), "tables no module declares (add them to TABLE_OWNERS): {unowned:?}");
    let shared: Vec<_> = owners.iter().filter(|(_, modules)| modules.len() > 1).collect();
    assert!(shared.is_empty(), "tables two modules declare: {shared:?}");

    // SQL naming a table of a module the layers do not let this one use.
    let mut crossings = Vec::new();
    for (module, text) in &code {
        let Some(&(rank, layer)) = place.get(module.as_str()) else { continue };
        let mut named = std::collections::BTreeSet::new();
        for literal in string_literals(text) {
            let words = sql_words(literal);
            for pair in words.windows(2) {
                let keyword = pair[0].to_ascii_uppercase();
                if ["FROM", "JOIN", "INTO", "UPDATE", "TABLE"].contains(&keyword.as_str()) && tables.contains(&pair[1])
                {
                    named.insert(pair[1].clone());
                }
            }
        }
        for table in named {
            let owner = &owners[&table][0];
            if owner == module {
                continue;
            }
            let Some(&(owner_rank, owner_layer)) = place.get(owner.as_str()) else { continue };
            if owner_rank > rank || (owner_rank == rank && owner_layer != layer) {
                crossings.push(format!("{module} names {table} ({owner})"));
            }
        }
    }
    assert!(
        crossings.is_empty(),
        "SQL naming a table of a module above it (move the query to the owner, which offers a function):\n{}",
        crossings.join("\n")
    );
}

/// The code before the file's test module: tests may read whatever table they need.
fn outside_tests(code: &str) -> &str {
    code.find("#[cfg(test)]\nmod tests").map_or(code, |start| &code[..start])
}

/// The contents of the string literals in `code`, raw strings included.
fn string_literals(code: &str) -> Vec<&str> {
    let mut literals = Vec::new();
    let mut rest = code;
    while let Some(start) = rest.find('"') {
        let hashes = rest[..start].len() - rest[..start].trim_end_matches('#').len();
        let body = &rest[start + 1..];
        let end = if hashes > 0 && rest[..start - hashes].ends_with('r') {
            body.find(&format!("\"{}", "#".repeat(hashes))).unwrap_or(body.len())
        } else {
            let bytes = body.as_bytes();
            let mut end = 0;
            while end < bytes.len() && bytes[end] != b'"' {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            end.min(body.len())
        };
        literals.push(&body[..end]);
        rest = &body[(end + 1).min(body.len())..];
    }
    literals
}

/// The words of SQL: names and keywords, in order.
fn sql_words(sql: &str) -> Vec<String> {
    sql.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|word| !word.is_empty()).map(str::to_owned).collect()
}

/// The test itself notices each kind of path it is there to catch.
#[test]
fn the_paths_the_layering_test_reads_are_the_ones_rust_resolves() {
    let code = "use crate::{people, sync::entity::{self, Table}, Desk};\n\
                use super::record::RecordState;\n\
                fn f() { crate::visits::get(); super::Fields::new(); }\n\
                // crate::demo in a comment is not a use\n\
                #[cfg(test)]\nmod tests { use crate::reports; }\n";
    let used = modules_used("sync/outbox", &without_test_code(code));
    assert_eq!(used, ["people", "store", "sync/entity", "sync/mod", "sync/record", "visits"]);
}

fn collect_sources(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_sources(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
    files.sort();
}

/// `src/sync/outbox.rs` is `sync/outbox`; a folder's `mod.rs` keeps its name (`sync/mod`).
fn module_of(src: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(src).unwrap().with_extension("");
    relative.to_string_lossy().replace('\\', "/")
}

/// The modules `module`'s code names, by the files that hold them.
fn modules_used(module: &str, code: &str) -> Vec<String> {
    // `super` of `sync/outbox` is `sync`; of `sync/mod` or a top-level file, the crate.
    let folder = module.rsplit_once('/').filter(|(_, file)| *file != "mod").map(|(folder, _)| folder);
    let mut used = std::collections::BTreeSet::new();
    for (prefix, base) in [("crate::", None), ("super::", folder)] {
        if prefix == "super::" && base.is_none() {
            continue;
        }
        for (start, _) in code.match_indices(prefix) {
            for path in paths(&code[start + prefix.len()..]) {
                if !unites_errors(module, &path) {
                    used.insert(resolve(base, &path));
                }
            }
        }
    }
    used.into_iter().collect()
}

/// `error` unites every domain's errors in one `Error` and their codes in one `ErrorCode`, so it
/// names each domain's error type, its variants and codes, and nothing else of any domain. What a module may
/// do with a domain's errors (build one, match one) still needs that domain's type imported,
/// which the layering governs.
fn unites_errors(module: &str, path: &[&str]) -> bool {
    module == "error" && path.iter().any(|item| item.ends_with("Error") || item.ends_with("ErrorCode"))
}

/// The paths a use tree starting at `text` names, each as its segments: `a::{b, c::d}` is
/// `[a, b]` and `[a, c, d]`.
fn paths(text: &str) -> Vec<Vec<&str>> {
    if let Some(group) = text.strip_prefix('{') {
        let mut depth = 0;
        let mut items = Vec::new();
        let mut item_start = 0;
        for (index, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    items.push(&group[item_start..index]);
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    items.push(&group[item_start..index]);
                    item_start = index + 1;
                }
                _ => {}
            }
        }
        return items.into_iter().flat_map(|item| paths(item.trim())).collect();
    }
    let end = text.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(text.len());
    if end == 0 {
        return Vec::new();
    }
    let (first, after) = text.split_at(end);
    let deeper = after.strip_prefix("::").map(paths).unwrap_or_default();
    if deeper.is_empty() {
        return vec![vec![first]];
    }
    deeper.into_iter().map(|path| [vec![first], path].concat()).collect()
}

/// The file holding what `path` names, from the crate root (`base` `None`) or a folder.
fn resolve(base: Option<&str>, path: &[&str]) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let is_module = |name: &str| name.chars().next().is_some_and(char::is_lowercase) && name != "self";
    let in_folder = |folder: &str, name: Option<&&str>| match name.filter(|name| is_module(name)) {
        Some(name) if src.join(folder).join(format!("{name}.rs")).exists() => format!("{folder}/{name}"),
        _ => format!("{folder}/mod"),
    };
    if let Some(folder) = base {
        return in_folder(folder, path.first());
    }
    let first = path[0];
    if let Some((_, module)) = ROOT_ITEMS.iter().find(|(item, _)| *item == first) {
        return (*module).to_owned();
    }
    if !is_module(first) {
        return "lib".to_owned();
    }
    if src.join(first).join("mod.rs").exists() {
        in_folder(first, path.get(1))
    } else {
        first.to_owned()
    }
}

/// The code without comments, strings, and the items marked `#[cfg(test)]`: tests may use
/// whatever they need, and a path in a comment or a string is no use of a module.
fn without_test_code(code: &str) -> String {
    let plain = without_comments_and_strings(code);
    let mut kept = String::new();
    let mut rest = plain.as_str();
    while let Some(start) = rest.find("#[cfg(test)]") {
        kept.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(open) = after.find(['{', ';']) else { break };
        if after.as_bytes()[open] == b';' {
            rest = &after[open + 1..];
            continue;
        }
        let mut depth = 0;
        let mut end = after.len();
        for (index, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + index + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    kept.push_str(rest);
    kept
}

fn without_comments_and_strings(code: &str) -> String {
    let bytes = code.as_bytes();
    let mut out = String::with_capacity(code.len());
    let mut index = 0;
    while index < bytes.len() {
        let rest = &code[index..];
        if rest.starts_with("//") {
            index += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            index += rest.find("*/").map_or(rest.len(), |end| end + 2);
        } else if let Some(hashes) = raw_string_hashes(rest) {
            let closing = format!("\"{}", "#".repeat(hashes));
            let body = 2 + hashes;
            index += rest[body..].find(&closing).map_or(rest.len(), |end| body + end + closing.len());
            out.push_str("\"\"");
        } else if rest.starts_with('"') {
            let mut end = 1;
            while end < rest.len() {
                match rest.as_bytes()[end] {
                    b'\\' => end += 2,
                    b'"' => break,
                    _ => end += 1,
                }
            }
            index += (end + 1).min(rest.len());
            out.push_str("\"\"");
        } else if rest.starts_with("'{'") || rest.starts_with("'}'") || rest.starts_with("'\"'") {
            index += 3;
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            index += c.len_utf8();
        }
    }
    out
}

/// `r"`, `r#"`, `r##"`: how many hashes the raw string at the start of `text` has.
fn raw_string_hashes(text: &str) -> Option<usize> {
    let after_r = text.strip_prefix('r')?;
    let hashes = after_r.len() - after_r.trim_start_matches('#').len();
    after_r[hashes..].starts_with('"').then_some(hashes)
}
