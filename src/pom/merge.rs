//! How Maven merges a child's model elements with its parent's (and a plugin with its
//! `<pluginManagement>` entry), as Maven 3's plexus `Xpp3Dom.mergeXpp3Dom` does:
//! the dominant element keeps its text and attributes and takes the recessive's missing
//! attributes (so a parent's `combine.children="append"` applies to the child's list too);
//! `combine.self="override"` keeps the dominant as it is; `append` adds all recessive children;
//! otherwise same-named children are merged pairwise in order, a recessive child whose name the
//! dominant lacks is added, and recessive ones beyond the dominant's count are dropped (why a
//! child's own `<filter>` silently replaces the parent's signature excludes, MSHADE-305).

use super::Element;

fn attribute<'a>(e: &'a Element, name: &str) -> Option<&'a str> {
    e.attributes
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `dominant` merged with `recessive` (plexus semantics).
pub fn merge_xml(dominant: &Element, recessive: &Element) -> Element {
    let mut out = dominant.clone();
    if attribute(dominant, "combine.self") == Some("override") {
        return out;
    }
    for (name, value) in &recessive.attributes {
        if attribute(&out, name).is_none_or(str::is_empty) {
            out.attributes.retain(|(k, _)| k != name);
            out.attributes.push((name.clone(), value.clone()));
        }
    }
    if out.text.trim().is_empty() && !recessive.text.trim().is_empty() {
        out.text = recessive.text.clone();
    }
    if attribute(&out, "combine.children") == Some("append") {
        let mut children = recessive.children.clone();
        children.append(&mut out.children);
        out.children = children;
        return out;
    }
    let mut used: Vec<(String, usize)> = Vec::new();
    let mut added = Vec::new();
    for r in &recessive.children {
        let taken = used
            .iter_mut()
            .find(|(n, _)| *n == r.name)
            .map(|(_, count)| count);
        let index = taken.as_deref().copied().unwrap_or(0);
        let slot = out
            .children
            .iter()
            .enumerate()
            .filter(|(_, c)| c.name == r.name)
            .nth(index)
            .map(|(i, _)| i);
        let dominant_has_name = out.children.iter().any(|c| c.name == r.name);
        match (slot, dominant_has_name) {
            (Some(i), _) => out.children[i] = merge_xml(&out.children[i], r),
            (None, false) => added.push(r.clone()),
            (None, true) => {}
        }
        match taken {
            Some(count) => *count += 1,
            None => used.push((r.name.clone(), 1)),
        }
    }
    out.children.extend(added);
    out
}

/// `groupId:artifactId` of a `<plugin>` (Maven's default groupId when absent).
pub fn plugin_key(plugin: &Element) -> String {
    format!(
        "{}:{}",
        plugin
            .text_of("groupId")
            .unwrap_or("org.apache.maven.plugins"),
        plugin.text_of("artifactId").unwrap_or_default()
    )
}

fn execution_id(execution: &Element) -> &str {
    execution.text_of("id").unwrap_or("default")
}

fn inherited(e: &Element) -> bool {
    e.text_of("inherited") != Some("false")
}

/// A plugin merged with a recessive declaration of the same plugin (its parent's, or its
/// `<pluginManagement>` entry): executions are matched by id, goals are united, everything
/// else merges as XML. `inheriting` drops the recessive's `<inherited>false</inherited>` parts.
pub fn merge_plugin(dominant: &Element, recessive: &Element, inheriting: bool) -> Element {
    let strip = |e: &Element| {
        let mut e = e.clone();
        e.children.retain(|c| c.name != "executions");
        e
    };
    let mut out = merge_xml(&strip(dominant), &strip(recessive));
    let mut executions: Vec<Element> = dominant
        .child("executions")
        .map(|e| e.children_named("execution").cloned().collect())
        .unwrap_or_default();
    let recessive_executions = recessive
        .child("executions")
        .into_iter()
        .flat_map(|e| e.children_named("execution"))
        .filter(|e| !inheriting || inherited(e));
    for r in recessive_executions {
        match executions
            .iter_mut()
            .find(|d| execution_id(d) == execution_id(r))
        {
            Some(d) => {
                let goals = union_goals(d, r);
                *d = merge_xml(d, r);
                d.children.retain(|c| c.name != "goals");
                d.children.push(goals);
            }
            None => executions.push(r.clone()),
        }
    }
    if !executions.is_empty() {
        out.children.push(Element {
            name: "executions".into(),
            children: executions,
            ..Element::default()
        });
    }
    out
}

fn union_goals(a: &Element, b: &Element) -> Element {
    let mut goals = Element {
        name: "goals".into(),
        ..Element::default()
    };
    for g in [a, b]
        .into_iter()
        .flat_map(|e| e.child("goals"))
        .flat_map(|g| g.children_named("goal"))
    {
        if !goals
            .children
            .iter()
            .any(|x| x.text.trim() == g.text.trim())
        {
            goals.children.push(g.clone());
        }
    }
    goals
}

/// A child's plugin list over its parent's: same-key plugins merge, the parent's other
/// plugins (unless `<inherited>false</inherited>`) come first, as in Maven's effective POM.
pub fn inherit_plugins(child: &[Element], parent: &[Element], inheriting: bool) -> Vec<Element> {
    let mut out: Vec<Element> = parent
        .iter()
        .filter(|p| !inheriting || inherited(p))
        .filter(|p| !child.iter().any(|c| plugin_key(c) == plugin_key(p)))
        .cloned()
        .collect();
    for c in child {
        match parent
            .iter()
            .find(|p| plugin_key(p) == plugin_key(c) && (!inheriting || inherited(p)))
        {
            Some(p) => out.push(merge_plugin(c, p, inheriting)),
            None => out.push(c.clone()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pom::parse_xml;

    fn xml(text: &str) -> Element {
        parse_xml(text).unwrap()
    }

    fn texts(e: &Element, name: &str) -> Vec<String> {
        e.descendants()
            .into_iter()
            .filter(|d| d.name == name)
            .map(|d| {
                d.attributes
                    .first()
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(|| d.text.trim().to_string())
            })
            .collect()
    }

    // The expected results are what `mvn help:effective-pom` (Maven 3.8.7) printed for the
    // same parent/child pair.
    #[test]
    fn merges_like_maven_append_and_pairwise() {
        let parent = xml(
            r#"<configuration><transformers combine.children="append"><transformer implementation="S"/></transformers>
            <filters><filter><artifact>*</artifact><excludes><exclude>A</exclude><exclude>B</exclude></excludes></filter></filters></configuration>"#,
        );
        let child = xml(
            r#"<configuration><transformers><transformer implementation="M"/></transformers>
            <filters><filter><artifact>x</artifact><excludes><exclude>C</exclude></excludes></filter></filters></configuration>"#,
        );
        let merged = merge_xml(&child, &parent);
        assert_eq!(texts(&merged, "transformer"), ["S", "M"]);
        assert_eq!(texts(&merged, "exclude"), ["C"]);
        assert_eq!(texts(&merged, "artifact"), ["x"]);
    }

    #[test]
    fn override_keeps_the_dominant_and_missing_names_are_added() {
        let parent = xml("<c><a>1</a><b>2</b></c>");
        let child = xml(r#"<c combine.self="override"><a>3</a></c>"#);
        assert_eq!(
            texts(&merge_xml(&child, &parent), "b"),
            Vec::<String>::new()
        );
        let child = xml("<c><a>3</a></c>");
        let merged = merge_xml(&child, &parent);
        assert_eq!(
            (texts(&merged, "a"), texts(&merged, "b")),
            (vec!["3".into()], vec!["2".into()])
        );
    }

    #[test]
    fn plugin_executions_merge_by_id() {
        let managed = xml(
            "<plugin><artifactId>s</artifactId><configuration><x>1</x></configuration>
             <executions><execution><id>e</id><phase>package</phase><goals><goal>shade</goal></goals></execution></executions></plugin>",
        );
        let own = xml(
            "<plugin><artifactId>s</artifactId><executions><execution><id>e</id><configuration><y>2</y></configuration></execution>
             <execution><id>f</id></execution></executions></plugin>",
        );
        let merged = merge_plugin(&own, &managed, false);
        let executions: Vec<&Element> = merged
            .child("executions")
            .unwrap()
            .children_named("execution")
            .collect();
        assert_eq!(executions.len(), 2);
        assert_eq!(executions[0].text_of("phase"), Some("package"));
        assert_eq!(texts(executions[0], "goal"), ["shade"]);
        assert_eq!(texts(executions[0], "y"), ["2"]);
        assert_eq!(texts(&merged, "x"), ["1"]);
    }
}
