//! The catalogue that ships inside the binary. It is loaded into the database on first
//! start; after that the database is the source of truth, because admins edit it there.

use serde::Deserialize;

use crate::domain::catalogue::{Catalogue, CatalogueError, Role, Sector, Skill};

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

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
