//! The catalogue that ships inside the binary. It is loaded into the database on first
//! start; after that the database is the source of truth, because admins edit it there.

use serde::Deserialize;

use crate::domain::catalogue::{Catalogue, CatalogueError, Role, Sector, Skill};
use crate::domain::practice::RoleQuestions;

const SECTORS: &str = include_str!("catalogue/sectors.toml");
const SKILLS: &str = include_str!("catalogue/skills.toml");
const ROLE_FILES: [(&str, &str); 3] = [
    (
        "roles-technology-a.toml",
        include_str!("catalogue/roles-technology-a.toml"),
    ),
    (
        "roles-technology-b.toml",
        include_str!("catalogue/roles-technology-b.toml"),
    ),
    (
        "roles-other.toml",
        include_str!("catalogue/roles-other.toml"),
    ),
];

/// The interview question bank, one file per group of roles.
const QUESTION_FILES: [(&str, &str); 6] = [
    (
        "questions-technology-a.toml",
        include_str!("catalogue/questions-technology-a.toml"),
    ),
    (
        "questions-technology-a2.toml",
        include_str!("catalogue/questions-technology-a2.toml"),
    ),
    (
        "questions-technology-b.toml",
        include_str!("catalogue/questions-technology-b.toml"),
    ),
    (
        "questions-technology-b2.toml",
        include_str!("catalogue/questions-technology-b2.toml"),
    ),
    (
        "questions-other.toml",
        include_str!("catalogue/questions-other.toml"),
    ),
    (
        "questions-other2.toml",
        include_str!("catalogue/questions-other2.toml"),
    ),
];

#[derive(Deserialize)]
struct QuestionFile {
    #[serde(default)]
    roles: Vec<RoleQuestions>,
}

#[derive(Deserialize)]
struct SectorFile {
    sectors: Vec<Sector>,
}

#[derive(Deserialize)]
struct SkillFile {
    skills: Vec<Skill>,
}

#[derive(Deserialize)]
struct RoleFile {
    roles: Vec<Role>,
}

#[derive(Debug, thiserror::Error)]
pub enum BundledError {
    #[error("{file}: {}", source.message())]
    Parse {
        file: &'static str,
        source: toml::de::Error,
    },
    #[error("bundled catalogue is invalid: {0}")]
    Invalid(#[from] CatalogueError),
    #[error("bundled question bank: {0}")]
    Questions(String),
}

/// Parses and validates the bundled catalogue.
pub fn bundled() -> Result<Catalogue, BundledError> {
    let sectors: SectorFile = toml::from_str(SECTORS).map_err(|source| BundledError::Parse {
        file: "sectors.toml",
        source,
    })?;
    let skills: SkillFile = toml::from_str(SKILLS).map_err(|source| BundledError::Parse {
        file: "skills.toml",
        source,
    })?;
    let mut roles = Vec::new();
    for (file, text) in ROLE_FILES {
        let parsed: RoleFile =
            toml::from_str(text).map_err(|source| BundledError::Parse { file, source })?;
        roles.extend(parsed.roles);
    }
    Ok(Catalogue::new(sectors.sectors, skills.skills, roles)?)
}

/// Parses the bundled question bank and checks it against the catalogue: every role has
/// questions, every question names a known role and has talking points with signals.
pub fn bundled_questions(catalogue: &Catalogue) -> Result<Vec<RoleQuestions>, BundledError> {
    let mut bank = Vec::new();
    for (file, text) in QUESTION_FILES {
        let parsed: QuestionFile =
            toml::from_str(text).map_err(|source| BundledError::Parse { file, source })?;
        bank.extend(parsed.roles);
    }
    for set in &bank {
        if catalogue.role(&set.role).is_none() {
            return Err(BundledError::Questions(format!(
                "unknown role {:?}",
                set.role
            )));
        }
        for q in &set.questions {
            if q.points.is_empty() || q.points.iter().any(|p| p.signals.is_empty()) {
                return Err(BundledError::Questions(format!(
                    "{}: {:?} needs talking points with signals",
                    set.role, q.text
                )));
            }
        }
    }
    Ok(bank)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_role_has_a_full_question_bank_specific_to_it() {
        use crate::domain::practice::feedback::QuestionKind;
        use std::collections::HashMap;
        let cat = bundled().unwrap();
        let bank = bundled_questions(&cat).unwrap();
        let mut seen: HashMap<String, HashSet<&str>> = HashMap::new();
        for role in &cat.roles {
            let sets: Vec<_> = bank.iter().filter(|b| b.role == role.slug).collect();
            assert_eq!(
                sets.len(),
                1,
                "{} has {} question sets",
                role.slug,
                sets.len()
            );
            let set = sets[0];
            assert!(
                set.questions.len() >= 8,
                "{}: {}",
                role.slug,
                set.questions.len()
            );
            for kind in QuestionKind::ALL {
                assert!(
                    set.questions.iter().any(|q| q.kind == kind),
                    "{} has no {} question",
                    role.slug,
                    kind.as_str()
                );
            }
            assert!(
                set.terms.len() >= 10,
                "{}: {} terms",
                role.slug,
                set.terms.len()
            );
            for q in &set.questions {
                assert!(
                    (4..=6).contains(&q.points.len()),
                    "{}: {:?}",
                    role.slug,
                    q.text
                );
                // The same question with the role's title removed, under more than three
                // roles, is not specific to the role.
                let key: String = q
                    .text
                    .to_lowercase()
                    .replace(&role.title.to_lowercase(), "")
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect();
                seen.entry(key).or_default().insert(role.slug.as_str());
            }
        }
        for (text, roles) in seen {
            assert!(roles.len() <= 3, "{text:?} is asked for {roles:?}");
        }
    }

    #[test]
    fn bundled_catalogue_is_valid_and_big_enough() {
        let cat = bundled().unwrap();
        assert!(cat.roles.len() >= 40, "{} roles", cat.roles.len());
        assert!(cat.skills.len() >= 120, "{} skills", cat.skills.len());
        let sectors: HashSet<_> = cat.roles.iter().map(|r| r.sector.as_str()).collect();
        assert!(sectors.len() >= 5);
        for role in &cat.roles {
            assert!(role.skills.len() >= 6, "{}", role.slug);
        }
        let regulated: Vec<_> = cat
            .roles
            .iter()
            .filter(|r| r.qualification.is_some())
            .collect();
        assert!(regulated.len() >= 3);
    }

    #[test]
    fn every_skill_is_used_by_some_role() {
        let cat = bundled().unwrap();
        let used: HashSet<_> = cat
            .roles
            .iter()
            .flat_map(|r| r.skills.iter().map(|s| s.skill.as_str()))
            .collect();
        let unused: Vec<_> = cat
            .skills
            .iter()
            .filter(|s| !used.contains(s.slug.as_str()))
            .map(|s| s.slug.as_str())
            .collect();
        // Unused skills are allowed (admins may assign them later) but should stay few.
        assert!(unused.len() <= 40, "unused skills: {unused:?}");
    }
}
