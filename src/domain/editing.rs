//! Admin edits to the catalogue, worked out in memory first: an edit is applied to a copy
//! of the live catalogue and the copy must pass every rule a guide relies on before
//! anything is stored. The same copy is what a preview renders.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::catalogue::{Catalogue, CatalogueError, Importance, PairNote, Role, Skill};

/// One change an admin publishes.
#[derive(Debug, Clone)]
pub enum Edit {
    /// A new role (`original` is None) or a changed one, perhaps under a new slug.
    SaveRole {
        original: Option<String>,
        role: Box<Role>,
    },
    SetRetired {
        slug: String,
        retired: bool,
    },
    /// A new or changed skill.
    SaveSkill(Skill),
    /// Every role that lists `from` lists `into` instead, and `from` goes.
    MergeSkills {
        from: String,
        into: String,
    },
    /// An empty note removes it.
    SavePairNote {
        from: String,
        to: String,
        note: PairNote,
    },
}

/// What a role revision stores: the role, and whether it was retired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleVersion {
    pub role: Role,
    pub retired: bool,
}

/// What a pair-note revision stores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairNoteVersion {
    pub from: String,
    pub to: String,
    pub note: PairNote,
}

impl Catalogue {
    /// A role's stored version, live or retired.
    pub fn role_version(&self, slug: &str) -> Option<RoleVersion> {
        if let Some(role) = self.role(slug) {
            return Some(RoleVersion {
                role: role.clone(),
                retired: false,
            });
        }
        self.retired_role(slug).map(|role| RoleVersion {
            role: role.clone(),
            retired: true,
        })
    }
}

/// The catalogue with `edit` applied, or every rule it would break.
pub fn apply(catalogue: &Catalogue, edit: &Edit) -> Result<Catalogue, CatalogueError> {
    let mut live = catalogue.roles.clone();
    let mut retired = catalogue.retired.clone();
    let mut skills = catalogue.skills.clone();
    let mut redirects = catalogue.redirects.clone();
    let mut notes = catalogue.pair_notes.clone();
    let refuse = |problem: String| {
        Err(CatalogueError {
            problems: vec![problem],
        })
    };
    match edit {
        Edit::SaveRole { original, role } => {
            let slug_taken = catalogue.any_role(&role.slug).is_some()
                && original.as_deref() != Some(role.slug.as_str());
            if slug_taken {
                return refuse(format!(
                    "The slug \"{}\" already belongs to another role.",
                    role.slug
                ));
            }
            let target = match original {
                Some(old) => {
                    if catalogue.any_role(old).is_none() {
                        return refuse(format!("There is no role \"{old}\" to change."));
                    }
                    Some(old.as_str())
                }
                None => None,
            };
            let was_retired = target.is_some_and(|old| catalogue.retired_role(old).is_some());
            live.retain(|r| Some(r.slug.as_str()) != target);
            retired.retain(|r| Some(r.slug.as_str()) != target);
            if was_retired {
                retired.push(role.as_ref().clone());
            } else {
                live.push(role.as_ref().clone());
            }
            if let Some(old) = target.filter(|old| *old != role.slug) {
                rename_links(&mut redirects, &mut notes, old, &role.slug);
            }
            redirects.remove(&role.slug);
        }
        Edit::SetRetired {
            slug,
            retired: retire,
        } => {
            let Some(version) = catalogue.role_version(slug) else {
                return refuse(format!("There is no role \"{slug}\"."));
            };
            live.retain(|r| r.slug != *slug);
            retired.retain(|r| r.slug != *slug);
            if *retire {
                retired.push(version.role);
            } else {
                live.push(version.role);
            }
        }
        Edit::SaveSkill(skill) => match skills.iter_mut().find(|s| s.slug == skill.slug) {
            Some(existing) => *existing = skill.clone(),
            None => skills.push(skill.clone()),
        },
        Edit::MergeSkills { from, into } => {
            if from == into {
                return refuse("Choose two different skills to merge.".to_owned());
            }
            if catalogue.skill(from).is_none() || catalogue.skill(into).is_none() {
                return refuse("Both skills must exist.".to_owned());
            }
            for role in live.iter_mut().chain(retired.iter_mut()) {
                merge_into(role, from, into);
            }
            skills.retain(|s| s.slug != *from);
        }
        Edit::SavePairNote { from, to, note } => {
            if from == to || catalogue.role(from).is_none() || catalogue.role(to).is_none() {
                return refuse("A note needs two different live roles.".to_owned());
            }
            let key = (from.clone(), to.clone());
            if note.is_empty() {
                notes.remove(&key);
            } else {
                notes.insert(key, note.clone());
            }
        }
    }
    let mut problems = Vec::new();
    // A retired role must still be sound: it can be brought back.
    let retired_check = Catalogue::new(catalogue.sectors.clone(), skills.clone(), retired.clone());
    if let Err(e) = retired_check {
        problems.extend(e.problems);
    }
    let candidate = Catalogue::new(catalogue.sectors.clone(), skills, live)
        .and_then(|c| c.with_history(retired, redirects, notes));
    match candidate {
        Ok(c) if problems.is_empty() => Ok(c),
        Ok(_) => Err(CatalogueError { problems }),
        Err(e) => {
            problems.extend(e.problems);
            Err(CatalogueError { problems })
        }
    }
}

/// After a rename, old slugs that pointed at `old` point at `new`, `old` itself redirects,
/// and notes about the role follow it.
fn rename_links(
    redirects: &mut HashMap<String, String>,
    notes: &mut HashMap<(String, String), PairNote>,
    old: &str,
    new: &str,
) {
    for target in redirects.values_mut() {
        if target == old {
            *target = new.to_owned();
        }
    }
    redirects.insert(old.to_owned(), new.to_owned());
    let renamed: Vec<_> = notes
        .keys()
        .filter(|(f, t)| f == old || t == old)
        .cloned()
        .collect();
    for key in renamed {
        if let Some(note) = notes.remove(&key) {
            let swap = |s: String| if s == old { new.to_owned() } else { s };
            notes.insert((swap(key.0), swap(key.1)), note);
        }
    }
}

/// One role after merging skill `from` into `into`; true when it changed.
pub fn merge_into(role: &mut Role, from: &str, into: &str) -> bool {
    let Some(at) = role.skills.iter().position(|s| s.skill == from) else {
        return false;
    };
    match role.skills.iter().position(|s| s.skill == into) {
        Some(kept) => {
            if role.skills[at].importance == Importance::Core {
                role.skills[kept].importance = Importance::Core;
            }
            role.skills.remove(at);
        }
        None => role.skills[at].skill = into.to_owned(),
    }
    true
}

/// The roles (live and retired) a merge rewrites, as they will be stored.
pub fn merged_roles(catalogue: &Catalogue, from: &str, into: &str) -> Vec<Role> {
    catalogue
        .roles
        .iter()
        .chain(&catalogue.retired)
        .filter_map(|role| {
            let mut role = role.clone();
            merge_into(&mut role, from, into).then_some(role)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::fixtures::sample;

    #[test]
    fn a_rename_redirects_the_old_slug_and_moves_notes() {
        let cat = sample();
        let mut role = cat.roles[0].clone();
        let old = role.slug.clone();
        let other = cat.roles[1].slug.clone();
        let cat = apply(
            &cat,
            &Edit::SavePairNote {
                from: old.clone(),
                to: other.clone(),
                note: PairNote {
                    note: "Hello".into(),
                    faq: vec![],
                },
            },
        )
        .unwrap();
        role.slug = "renamed-role".into();
        let after = apply(
            &cat,
            &Edit::SaveRole {
                original: Some(old.clone()),
                role: Box::new(role),
            },
        )
        .unwrap();
        assert!(after.role(&old).is_none());
        assert_eq!(after.renamed(&old), Some("renamed-role"));
        assert!(after.pair_note("renamed-role", &other).is_some());
        assert!(after.pair_note(&old, &other).is_none());
    }

    #[test]
    fn a_slug_in_use_or_bad_salary_is_refused() {
        let cat = sample();
        let mut role = cat.roles[0].clone();
        let original = Some(role.slug.clone());
        role.slug = cat.roles[1].slug.clone();
        let err = apply(
            &cat,
            &Edit::SaveRole {
                original: original.clone(),
                role: Box::new(role.clone()),
            },
        )
        .unwrap_err();
        assert!(err.problems[0].contains("already belongs"), "{err}");
        let mut role = cat.roles[0].clone();
        role.salary.mid.min = role.salary.senior.min + 1;
        let role = Box::new(role);
        let err = apply(&cat, &Edit::SaveRole { original, role }).unwrap_err();
        assert!(err.to_string().contains("entry ≤ mid ≤ senior"), "{err}");
    }

    #[test]
    fn retiring_moves_a_role_out_of_the_live_list_and_back() {
        let cat = sample();
        let slug = cat.roles[0].slug.clone();
        let gone = apply(
            &cat,
            &Edit::SetRetired {
                slug: slug.clone(),
                retired: true,
            },
        )
        .unwrap();
        assert!(gone.role(&slug).is_none());
        assert!(gone.retired_role(&slug).is_some());
        assert_eq!(gone.any_role(&slug).unwrap().slug, slug);
        let back = apply(
            &gone,
            &Edit::SetRetired {
                slug: slug.clone(),
                retired: false,
            },
        )
        .unwrap();
        assert!(back.role(&slug).is_some());
    }

    #[test]
    fn a_merge_that_would_leave_a_role_short_of_skills_is_refused() {
        let cat = sample();
        let role = &cat.roles[0];
        assert_eq!(role.skills.len(), 6);
        let edit = Edit::MergeSkills {
            from: role.skills[1].skill.clone(),
            into: role.skills[0].skill.clone(),
        };
        let err = apply(&cat, &edit).unwrap_err();
        assert!(
            err.to_string().contains("needs 6–12 skills, has 5"),
            "{err}"
        );
        let same = Edit::MergeSkills {
            from: role.skills[0].skill.clone(),
            into: role.skills[0].skill.clone(),
        };
        assert!(apply(&cat, &same).is_err());
    }

    #[test]
    fn merging_keeps_one_row_and_the_stronger_importance() {
        let cat = sample();
        let role = &cat.roles[0];
        let (a, b) = (&role.skills[0], &role.skills[1]);
        let mut merged = role.clone();
        assert!(merge_into(&mut merged, &b.skill, &a.skill));
        assert_eq!(merged.skills.len(), role.skills.len() - 1);
        let kept = merged.skills.iter().find(|s| s.skill == a.skill).unwrap();
        // Core sorts before supporting: the smaller is the stronger.
        assert_eq!(kept.importance, a.importance.min(b.importance));
        assert!(!merged.skills.iter().any(|s| s.skill == b.skill));
    }
}
