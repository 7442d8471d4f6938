//! Editing connector.toml in place (comments and layout kept), like cargo-edit's `LocalManifest`:
//! option add/remove/set and recording the tool version. Edits happen in memory; the caller writes
//! the text as part of its transaction.

use std::path::{Path, PathBuf};

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table};

use super::{locate, option_table, Manifest, OptionDef, MANIFEST_FILE};
use crate::errors::{Error, IoContext, Result};

/// The fields of an option to add or change (unset fields keep their value on `set`).
#[derive(Debug, Clone, Default)]
pub struct OptionEdit {
    pub key: String,
    pub type_: Option<String>,
    pub default: Option<String>,
    /// An enum option's allowed values.
    pub values: Option<Vec<String>>,
    pub required: Option<bool>,
    pub sensitive: Option<bool>,
    pub description: Option<String>,
}

/// connector.toml as an editable document.
pub struct LocalManifest {
    pub path: PathBuf,
    original: String,
    doc: DocumentMut,
}

impl LocalManifest {
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).with_path("read", path)?;
        Self::from_text(path, text)
    }

    pub fn from_text(path: &Path, text: String) -> Result<Self> {
        let doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
            locate(path, &text, e.span().unwrap_or(0..0), e.message())
        })?;
        Ok(LocalManifest {
            path: path.to_path_buf(),
            original: text,
            doc,
        })
    }

    /// The edited text.
    pub fn text(&self) -> String {
        self.doc.to_string()
    }

    /// The text as read.
    pub fn original(&self) -> &str {
        &self.original
    }

    /// Whether the edits changed the file.
    pub fn is_changed(&self) -> bool {
        self.text() != self.original
    }

    /// The validated manifest the edited text describes; `summary` names the edit in errors.
    pub fn manifest(&self, summary: Option<&str>) -> Result<Manifest> {
        Manifest::parse(&self.path, &self.text()).map_err(|e| match (e, summary) {
            (Error::Located { message, .. }, Some(summary)) => Error::usage(format!(
                "{summary} would make {MANIFEST_FILE} invalid: {message}"
            )),
            (other, _) => other,
        })
    }

    /// The manifest as it was read (before the edits), if it was valid.
    pub fn previous_manifest(&self) -> Option<Manifest> {
        Manifest::parse(&self.path, &self.original).ok()
    }

    /// Sets `[template] version`: the cargo-flink-connector version that last rendered the project.
    /// Validate first ([`Self::manifest`]): without a `[template]` table nothing is recorded.
    pub fn record_tool_version(&mut self, version: &str) {
        let Some(template) = self
            .doc
            .get_mut("template")
            .and_then(Item::as_table_like_mut)
        else {
            return;
        };
        if template.get("version").and_then(Item::as_str) != Some(version) {
            template.insert("version", toml_edit::value(version));
        }
    }

    /// Sets `[flink] lines` (`None` removes it: a single-line project); see `commands/line.rs`.
    pub fn set_flink_lines(&mut self, entries: Option<&[String]>) {
        // Validate first: without a `[flink]` table nothing is changed (never a panic).
        let Some(flink) = self.doc.get_mut("flink").and_then(Item::as_table_like_mut) else {
            return;
        };
        match entries {
            Some(entries) => {
                flink.insert(
                    "lines",
                    toml_edit::value(entries.iter().collect::<toml_edit::Array>()),
                );
            }
            None => {
                flink.remove("lines");
            }
        }
    }

    fn options_mut(&mut self) -> Result<&mut ArrayOfTables> {
        if !self.doc.contains_key("options") {
            self.doc["options"] = Item::ArrayOfTables(ArrayOfTables::new());
        }
        self.doc["options"].as_array_of_tables_mut().ok_or_else(|| {
            Error::usage(format!(
                "`options` in {MANIFEST_FILE} must be an array of tables ([[options]])"
            ))
        })
    }

    fn keys(&mut self) -> Result<Vec<String>> {
        Ok(self
            .options_mut()?
            .iter()
            .filter_map(|t| t.get("key").and_then(Item::as_str).map(str::to_string))
            .collect())
    }

    /// The index of option `key`, or an error with a "did you mean" suggestion.
    fn find(&mut self, key: &str, verb: &str) -> Result<usize> {
        let keys = self.keys()?;
        if let Some(i) = keys.iter().position(|k| k == key) {
            return Ok(i);
        }
        let hint = match did_you_mean(key, &keys) {
            Some(k) => format!("; did you mean '{k}'?"),
            None if keys.is_empty() => String::from("; the manifest declares no options"),
            None => format!("; options: {}", keys.join(", ")),
        };
        Err(Error::usage(format!("no option '{key}' to {verb}{hint}")))
    }

    pub fn add_option(&mut self, edit: &OptionEdit) -> Result<String> {
        let ty = edit.type_.as_deref().ok_or_else(|| {
            Error::usage(format!(
                "`option add` needs --type ({})",
                super::OptionType::NAMES
            ))
        })?;
        let def = OptionDef::with_values(
            &edit.key,
            ty,
            edit.values.as_deref().unwrap_or_default(),
            edit.default.clone(),
            edit.required.unwrap_or(false),
            edit.sensitive.unwrap_or(false),
            edit.description.as_deref().unwrap_or(""),
        )
        .map_err(Error::usage)?;
        if self.keys()?.iter().any(|k| k == &edit.key) {
            return Err(Error::usage(format!(
                "option '{}' exists already; use `option set`",
                edit.key
            )));
        }
        self.options_mut()?.push(option_table(&def));
        Ok(format!("added option '{}'", edit.key))
    }

    pub fn set_option(&mut self, edit: &OptionEdit) -> Result<String> {
        let index = self.find(&edit.key, "set")?;
        let table = self.options_mut()?.get_mut(index).expect("found above");
        let ty = edit
            .type_
            .clone()
            .or_else(|| field_text(table, "type"))
            .unwrap_or_default();
        let default = match &edit.default {
            Some(d) => Some(d.clone()),
            None => field_text(table, "default"),
        };
        // A type other than enum has no values; an enum keeps its values unless new ones are given.
        let values = match (&edit.values, ty.as_str()) {
            (Some(v), _) => v.clone(),
            (None, "enum") => field_list(table, "values"),
            (None, _) => Vec::new(),
        };
        let flag = |new: Option<bool>, k: &str| {
            new.unwrap_or_else(|| table.get(k).and_then(Item::as_bool).unwrap_or(false))
        };
        let description = edit
            .description
            .clone()
            .or_else(|| field_text(table, "description"));
        let kept_default = edit.default.is_none() && default.is_some();
        let def = OptionDef::with_values(
            &edit.key,
            &ty,
            &values,
            default,
            flag(edit.required, "required"),
            flag(edit.sensitive, "sensitive"),
            description.as_deref().unwrap_or(""),
        )
        .map_err(|why| {
            // A new type or new values keep the default when it still parses; never drop it
            // silently.
            let retyped = edit.type_.is_some() || edit.values.is_some();
            match why.strip_prefix(&format!("option '{}': default", edit.key)) {
                Some(rest) if kept_default && retyped => Error::usage(format!(
                    "option '{}' cannot become {}: its default{rest}; pass a default that fits with --default",
                    edit.key,
                    describe(&ty, &values),
                )),
                _ => Error::usage(why),
            }
        })?;
        // Touch only the fields that changed, so comments and order stay as the user left them.
        let fresh = option_table(&def);
        for k in [
            "type",
            "values",
            "default",
            "required",
            "sensitive",
            "description",
        ] {
            match fresh.get(k) {
                Some(item) if field_text(table, k) != field_text(&fresh, k) => {
                    table[k] = item.clone()
                }
                Some(_) => {}
                None => {
                    table.remove(k);
                }
            }
        }
        Ok(format!("changed option '{}'", edit.key))
    }

    /// Appends a validated option (`capability add` declares the options its code reads).
    pub fn add_option_def(&mut self, def: &OptionDef) -> Result<()> {
        self.options_mut()?.push(option_table(def));
        Ok(())
    }

    /// Sets `[connector] capabilities`; see `commands/capability.rs`.
    pub fn set_capabilities(&mut self, names: &[&str]) {
        self.doc["connector"]["capabilities"] =
            toml_edit::value(names.iter().copied().collect::<toml_edit::Array>());
    }

    fn dependencies_mut(&mut self) -> Result<&mut ArrayOfTables> {
        if !self.doc.contains_key("dependencies") {
            self.doc["dependencies"] = Item::ArrayOfTables(ArrayOfTables::new());
        }
        self.doc["dependencies"]
            .as_array_of_tables_mut()
            .ok_or_else(|| {
                Error::usage(format!(
                    "`dependencies` in {MANIFEST_FILE} must be an array of tables ([[dependencies]])"
                ))
            })
    }

    fn dependency_index(&mut self, group: &str, artifact: &str) -> Result<Option<usize>> {
        Ok(self.dependencies_mut()?.iter().position(|t| {
            t.get("group-id").and_then(Item::as_str) == Some(group)
                && t.get("artifact-id").and_then(Item::as_str) == Some(artifact)
        }))
    }

    /// Adds `[[dependencies]]`: bundled (with `relocate`) or, with `test`, test scope.
    pub fn add_dependency(
        &mut self,
        group: &str,
        artifact: &str,
        version: &str,
        relocate: &[String],
        test: bool,
    ) -> Result<String> {
        if self.dependency_index(group, artifact)?.is_some() {
            return Err(Error::usage(format!(
                "{group}:{artifact} is a dependency already; remove it first to change it"
            )));
        }
        let mut t = Table::new();
        t["group-id"] = toml_edit::value(group);
        t["artifact-id"] = toml_edit::value(artifact);
        t["version"] = toml_edit::value(version);
        if test {
            t["scope"] = toml_edit::value("test");
        } else {
            t["relocate"] = toml_edit::value(relocate.iter().collect::<toml_edit::Array>());
        }
        self.dependencies_mut()?.push(t);
        let what = if test {
            "test dependency"
        } else {
            "dependency"
        };
        Ok(format!("added {what} {group}:{artifact}:{version}"))
    }

    pub fn remove_dependency(&mut self, group: &str, artifact: &str) -> Result<String> {
        let Some(index) = self.dependency_index(group, artifact)? else {
            return Err(Error::usage(format!(
                "no dependency {group}:{artifact} to remove"
            )));
        };
        self.dependencies_mut()?.remove(index);
        if self.dependencies_mut()?.is_empty() {
            self.doc.remove("dependencies");
        }
        Ok(format!("removed dependency {group}:{artifact}"))
    }

    pub fn remove_option(&mut self, key: &str) -> Result<String> {
        let index = self.find(key, "remove")?;
        self.options_mut()?.remove(index);
        Ok(format!("removed option '{key}'"))
    }
}

/// A field of an option table as text (`"30 s"` → `30 s`, `6379` → `6379`).
fn field_text(table: &Table, key: &str) -> Option<String> {
    let value = table.get(key).and_then(Item::as_value)?;
    Some(match value.as_str() {
        Some(text) => text.to_string(),
        None => value.clone().decorated("", "").to_string(),
    })
}

/// A string array field of a table (`values = ["a", "b"]`); empty when absent or not strings.
fn field_list(table: &Table, key: &str) -> Vec<String> {
    table
        .get(key)
        .and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// `long`, or `enum (a, b)`: what an option is retyped to, in an error.
fn describe(ty: &str, values: &[String]) -> String {
    if values.is_empty() {
        ty.to_string()
    } else {
        format!("{ty} ({})", values.join(", "))
    }
}

/// The closest of `candidates` to `wrong`, if close enough to be a typo (edit distance ≤ 1/3 of
/// the length, at least 1; the same rule as cargo's suggestions).
pub fn did_you_mean<'a>(wrong: &str, candidates: &'a [String]) -> Option<&'a str> {
    let limit = (wrong.chars().count() / 3).max(1);
    candidates
        .iter()
        .map(|c| (levenshtein(wrong, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.as_str())
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        let keys = vec!["sink.max-retries".to_string(), "hostname".to_string()];
        assert_eq!(
            did_you_mean("sink.max-retry", &keys),
            Some("sink.max-retries")
        );
        assert_eq!(did_you_mean("hostnme", &keys), Some("hostname"));
        assert_eq!(did_you_mean("port", &keys), None);
    }
}
