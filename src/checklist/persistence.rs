//! The Persistence block below the six steps: every write of the root's lineage that can
//! outlive the remediation and that no later event undid, each with the AWS CLI line that
//! undoes it (or, where the logs cannot say enough for a command, what to look at).

use super::commands::{sh, withheld};
use crate::blast::Item;
use crate::cloudtrail::ids::{is_iam_name, is_well_formed_key};
use crate::model::Model;

/// An open persistence item and what undoes it.
#[derive(Debug, Clone)]
pub struct OpenItem {
    pub item: Item,
    pub command: String,
}

/// The open items of `root`'s lineage (and of the keys it created).
pub fn open_items(m: &Model, root: usize) -> Vec<OpenItem> {
    let (items, _) = crate::blast::persistence(m, root);
    let open: Vec<Item> = items.into_iter().filter(|i| i.undone_by.is_none()).collect();
    // The rewritten trust policies (of a role named as IAM names are), looked up together.
    let trusts: Vec<(usize, (&str, usize))> = open
        .iter()
        .enumerate()
        .filter(|(_, i)| i.kind == "trust-policy")
        .filter_map(|(n, i)| {
            let role = i.fields.iter().find(|(f, _)| f == "roleName").map(|(_, v)| v.as_str())?;
            is_iam_name(role).then_some((n, (role, i.event)))
        })
        .collect();
    let wanted: Vec<(&str, usize)> = trusts.iter().map(|t| t.1).collect();
    let mut restore: Vec<Option<String>> = vec![None; open.len()];
    for ((n, (role, _)), before) in trusts.iter().zip(crate::blast::trust::before_each(m, root, &wanted)) {
        restore[*n] = before.map(|b| restore_trust(m, role, &b));
    }
    open.iter()
        .zip(restore)
        .map(|(item, restore)| OpenItem { command: restore.unwrap_or_else(|| undo(item)), item: item.clone() })
        .collect()
}

/// The command that puts back the trust a role had, naming the event it comes from.
fn restore_trust(m: &Model, role: &str, before: &crate::blast::trust::TrustBefore) -> String {
    let e = &m.ix.events[before.event];
    format!(
        "aws iam update-assume-role-policy --role-name {} --policy-document {}   # the trust it had before: {} at {}",
        sh(role),
        sh(&before.document),
        m.ix.event_id(e),
        crate::time::format_time(e.time)
    )
}

/// The command that undoes an item, from its target's fields (each checked: an IAM name or a
/// key id, else the line says it is withheld).
fn undo(item: &Item) -> String {
    let get = |k: &str| item.fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.as_str());
    let name = |k: &str| -> Result<String, String> {
        match get(k) {
            Some(v) if is_iam_name(v) => Ok(sh(v)),
            Some(v) => Err(withheld(k, v)),
            None => Err(format!("# the logs do not name the {k}: look the {} up", item.kind)),
        }
    };
    let line = || -> Result<String, String> {
        Ok(match (item.kind, item.fields.first().map(|f| f.0.as_str())) {
            ("access-key", _) => {
                let key = get("accessKeyId")
                    .filter(|k| is_well_formed_key(k))
                    .ok_or("# the created key id is not in the logs")?;
                format!("aws iam delete-access-key --user-name {} --access-key-id {key}", name("userName")?)
            }
            ("user", _) => format!(
                "aws iam delete-user --user-name {}   # after its keys, profile, policies and groups",
                name("userName")?
            ),
            ("login-profile", _) => format!("aws iam delete-login-profile --user-name {}", name("userName")?),
            ("group-membership", _) => format!(
                "aws iam remove-user-from-group --user-name {} --group-name {}",
                name("userName")?,
                name("groupName")?
            ),
            ("role", _) => format!(
                "aws iam delete-role --role-name {}   # after its policies and instance profiles",
                name("roleName")?
            ),
            ("trust-policy", _) => format!(
                "aws iam get-role --role-name {} --query Role.AssumeRolePolicyDocument   # the logs hold no earlier trust: remove what this write added ({}), then update-assume-role-policy",
                name("roleName")?,
                // In a shell comment: nothing that could end the line.
                item.target.chars().filter(|c| !c.is_control()).collect::<String>()
            ),
            ("policy", Some(field @ ("roleName" | "userName" | "groupName"))) => {
                // The entity the policy is on: its kind for the command, its flag, its name.
                let entity = field.trim_end_matches("Name");
                let who = format!("--{entity}-name {}", name(field)?);
                match get("policyArn") {
                    Some(arn) => format!("aws iam detach-{entity}-policy {who} --policy-arn {}", sh(arn)),
                    None => format!("aws iam delete-{entity}-policy {who} --policy-name {}", name("policyName")?),
                }
            }
            ("federation", _) => {
                "# federation tokens cannot be revoked: deny their user (step 6); they expire on their own".into()
            }
            ("logging", _) => match get("name").or(get("trailName")) {
                Some(t) => format!("aws cloudtrail start-logging --name {}   # and check the trail's selectors", sh(t)),
                None => format!("# logging changed ({}): restore it", item.target),
            },
            _ => format!("# review and remove: {} ({})", item.kind, item.target),
        })
    };
    line().unwrap_or_else(|why| why)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: &'static str, fields: &[(&str, &str)]) -> Item {
        let fields: Vec<(String, String)> = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Item { kind, event: 0, target: String::new(), fields, undone_by: None }
    }

    #[test]
    fn each_kind_has_the_command_that_undoes_it_and_odd_names_are_withheld() {
        let arn = "arn:aws:iam::aws:policy/AdministratorAccess";
        assert_eq!(
            undo(&item("policy", &[("roleName", "R"), ("policyArn", arn)])),
            format!("aws iam detach-role-policy --role-name R --policy-arn {arn}")
        );
        assert_eq!(
            undo(&item("policy", &[("userName", "u"), ("policyName", "p")])),
            "aws iam delete-user-policy --user-name u --policy-name p"
        );
        assert_eq!(
            undo(&item("access-key", &[("accessKeyId", "AKIAAAAAAAAAAAAAAAAA"), ("userName", "u")])),
            "aws iam delete-access-key --user-name u --access-key-id AKIAAAAAAAAAAAAAAAAA"
        );
        assert!(undo(&item("login-profile", &[("userName", "$(rm -rf /)")])).starts_with("# withheld"));
        assert!(undo(&item("access-key", &[("userName", "u")])).starts_with('#'), "no key id: no command");
    }
}
