//! The catalogue that ships inside the binary. It is loaded into the database on first
//! start; after that the database is the source of truth, because admins edit it there.
//! A catalogue folder in the same layout can be loaded into a fresh database instead
//! (`careerswitch load-catalogue`), through the same parsing and checks.

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
pub enum CatalogueFilesError {
    #[error("{file}: {}", source.message())]
    Parse {
        file: String,
        source: toml::de::Error,
    },
    #[error("{file}: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error("{0} is missing")]
    Missing(String),
    #[error("catalogue is invalid: {0}")]
    Invalid(#[from] CatalogueError),
    #[error("question bank: {0}")]
    Questions(String),
}

/// A catalogue's files as text, by file name: the bundled ones or a folder's. The names
/// follow the bundled layout: `sectors.toml`, `skills.toml`, `roles-*.toml` and
/// `questions-*.toml`.
pub struct CatalogueFiles<S> {
    pub sectors: (String, S),
    pub skills: (String, S),
    pub roles: Vec<(String, S)>,
    pub questions: Vec<(String, S)>,
}

fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, CatalogueFilesError> {
    toml::from_str(text).map_err(|source| CatalogueFilesError::Parse {
        file: file.to_owned(),
        source,
    })
}

impl<S: AsRef<str>> CatalogueFiles<S> {
    /// Parses and validates the sectors, skills and roles.
    pub fn catalogue(&self) -> Result<Catalogue, CatalogueFilesError> {
        let sectors: SectorFile = parse(&self.sectors.0, self.sectors.1.as_ref())?;
        let skills: SkillFile = parse(&self.skills.0, self.skills.1.as_ref())?;
        let mut roles = Vec::new();
        for (file, text) in &self.roles {
            roles.extend(parse::<RoleFile>(file, text.as_ref())?.roles);
        }
        Ok(Catalogue::new(sectors.sectors, skills.skills, roles)?)
    }

    /// Parses the question bank and checks it against `catalogue`: every question names a
    /// known role and has talking points with signals. A role may have no questions yet.
    pub fn questions(
        &self,
        catalogue: &Catalogue,
    ) -> Result<Vec<RoleQuestions>, CatalogueFilesError> {
        let mut bank = Vec::new();
        for (file, text) in &self.questions {
            bank.extend(parse::<QuestionFile>(file, text.as_ref())?.roles);
        }
        for set in &bank {
            if catalogue.role(&set.role).is_none() {
                return Err(CatalogueFilesError::Questions(format!(
                    "unknown role {:?}",
                    set.role
                )));
            }
            for q in &set.questions {
                if q.points.is_empty() || q.points.iter().any(|p| p.signals.is_empty()) {
                    return Err(CatalogueFilesError::Questions(format!(
                        "{}: {:?} needs talking points with signals",
                        set.role, q.text
                    )));
                }
            }
        }
        Ok(bank)
    }
}

fn named(files: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    files.iter().map(|&(n, t)| (n.to_owned(), t)).collect()
}

/// The files compiled into the binary.
pub fn bundled_files() -> CatalogueFiles<&'static str> {
    CatalogueFiles {
        sectors: ("sectors.toml".to_owned(), SECTORS),
        skills: ("skills.toml".to_owned(), SKILLS),
        roles: named(&ROLE_FILES),
        questions: named(&QUESTION_FILES),
    }
}

/// Parses and validates the bundled catalogue.
pub fn bundled() -> Result<Catalogue, CatalogueFilesError> {
    bundled_files().catalogue()
}

/// Parses the bundled question bank and checks it against the catalogue.
pub fn bundled_questions(catalogue: &Catalogue) -> Result<Vec<RoleQuestions>, CatalogueFilesError> {
    bundled_files().questions(catalogue)
}

/// Reads a catalogue folder laid out like `src/catalogue/`: `sectors.toml`, `skills.toml`,
/// any number of `roles-*.toml` and, optionally, `questions-*.toml`. Files are read in name
/// order, so the same folder always gives the same catalogue.
pub fn read_dir(dir: &std::path::Path) -> Result<CatalogueFiles<String>, CatalogueFilesError> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read_to_string(&path).map_err(|source| CatalogueFilesError::Read {
            file: path.display().to_string(),
            source,
        })
    };
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|source| CatalogueFilesError::Read {
            file: dir.display().to_string(),
            source,
        })?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    names.sort();
    let starting = |prefix: &str| -> Result<Vec<(String, String)>, CatalogueFilesError> {
        names
            .iter()
            .filter(|n| n.starts_with(prefix))
            .map(|n| Ok((n.clone(), read(n)?)))
            .collect()
    };
    let roles = starting("roles-")?;
    if roles.is_empty() {
        return Err(CatalogueFilesError::Missing(format!(
            "{}/roles-*.toml",
            dir.display()
        )));
    }
    Ok(CatalogueFiles {
        sectors: ("sectors.toml".to_owned(), read("sectors.toml")?),
        skills: ("skills.toml".to_owned(), read("skills.toml")?),
        roles,
        questions: starting("questions-")?,
    })
}

/// A catalogue folder's catalogue and question bank, parsed and checked exactly as the
/// bundled ones are.
pub fn from_dir(
    dir: &std::path::Path,
) -> Result<(Catalogue, Vec<RoleQuestions>), CatalogueFilesError> {
    let files = read_dir(dir)?;
    let catalogue = files.catalogue()?;
    let questions = files.questions(&catalogue)?;
    Ok((catalogue, questions))
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

    fn write_files(dir: &std::path::Path, files: &CatalogueFiles<&str>, with_questions: bool) {
        let mut all = vec![&files.sectors, &files.skills];
        all.extend(&files.roles);
        if with_questions {
            all.extend(&files.questions);
        }
        for (name, text) in all {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }

    #[test]
    fn a_folder_of_the_bundled_files_reads_as_the_bundled_catalogue() {
        let dir = tempfile::tempdir().unwrap();
        write_files(dir.path(), &bundled_files(), true);
        std::fs::write(dir.path().join("README.txt"), "not a catalogue file").unwrap();
        let (cat, questions) = from_dir(dir.path()).unwrap();
        let bundled = bundled().unwrap();
        assert_eq!(cat.roles, bundled.roles);
        assert_eq!(cat.skills, bundled.skills);
        assert_eq!(cat.sectors, bundled.sectors);
        assert_eq!(questions.len(), bundled_questions(&bundled).unwrap().len());
    }

    #[test]
    fn a_folder_needs_no_questions_but_is_checked_like_the_bundled_files() {
        let dir = tempfile::tempdir().unwrap();
        write_files(dir.path(), &bundled_files(), false);
        let (_, questions) = from_dir(dir.path()).unwrap();
        assert!(questions.is_empty());

        // A rule broken in a folder is refused as it would be in the bundled files.
        let roles = dir.path().join("roles-other.toml");
        let text = std::fs::read_to_string(&roles).unwrap();
        std::fs::write(
            &roles,
            text.replacen("sector = \"", "sector = \"nowhere-", 1),
        )
        .unwrap();
        let err = from_dir(dir.path()).unwrap_err().to_string();
        assert!(err.contains("unknown sector"), "{err}");

        std::fs::write(&roles, "[[roles]]\nslug = 1\n").unwrap();
        let err = from_dir(dir.path()).unwrap_err().to_string();
        assert!(err.starts_with("roles-other.toml:"), "{err}");

        std::fs::remove_file(dir.path().join("skills.toml")).unwrap();
        let err = from_dir(dir.path()).unwrap_err().to_string();
        assert!(err.contains("skills.toml"), "{err}");
    }
}
