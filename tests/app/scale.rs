//! A catalogue folder loaded into a fresh database with `careerswitch load-catalogue`, then
//! served: the path the scale benchmark (`scripts/bench-scale.py`) takes with 1,000 roles,
//! here with 12.

use std::path::Path;
use std::process::Command;

use crate::helpers::{spawn_app_on, visible_text};

const ROLES: usize = 12;

fn role_slug(i: usize) -> String {
    format!("scale-role-{i}")
}

/// Two sectors, 14 skills and 12 roles of six skills each, drawn so that pairs overlap by
/// different amounts; only the first role has interview questions.
fn write_catalogue(dir: &Path) {
    let sectors = "[[sectors]]\nslug = \"alpha\"\nname = \"Alpha work\"\n\n\
                   [[sectors]]\nslug = \"beta\"\nname = \"Beta work\"\n";
    std::fs::write(dir.join("sectors.toml"), sectors).unwrap();
    let mut skills = String::new();
    for s in 0..14 {
        skills.push_str(&format!(
            "[[skills]]\nslug = \"skill-{s}\"\nname = \"Skill {s}\"\ncategory = \"technical\"\n\
             learn_weeks = {}\nevidence = \"A small project that uses skill {s}.\"\n\n",
            4 + s
        ));
    }
    std::fs::write(dir.join("skills.toml"), skills).unwrap();
    let mut roles = String::new();
    for i in 0..ROLES {
        let sector = if i % 2 == 0 { "alpha" } else { "beta" };
        roles.push_str(&format!(
            "[[roles]]\nslug = \"{slug}\"\ntitle = \"Scale Role {i}\"\nsector = \"{sector}\"\n\
             summary = \"Keeps part {i} of the work running.\"\n\
             appeal = \"The work is *varied*.\"\nchallenges = \"Deadlines bunch up.\"\n\
             interviewers_look_for = [\"clear thinking\"]\n\
             routes_in = [\"Most people start as juniors.\"]\n\
             salary_reviewed = \"2026-10-01\"\n\
             salary = {{ entry = [{e}, {e2}], mid = [{m}, {m2}], senior = [{s}, {s2}] }}\n\
             pay_basis = \"Generated figures.\"\n\n",
            slug = role_slug(i),
            e = 20_000 + i * 1_000,
            e2 = 26_000 + i * 1_000,
            m = 28_000 + i * 1_000,
            m2 = 36_000 + i * 1_000,
            s = 38_000 + i * 1_000,
            s2 = 50_000 + i * 1_000,
        ));
        for k in 0..6 {
            let importance = if k < 2 { "core" } else { "supporting" };
            roles.push_str(&format!(
                "[[roles.skills]]\nskill = \"skill-{}\"\nimportance = \"{importance}\"\n\
                 usage = \"use skill {k} every week\"\ntiming = \"before-applying\"\n\n",
                (i + k * (1 + i % 3)) % 14
            ));
        }
        for title in ["Planning", "Doing"] {
            roles.push_str(&format!(
                "[[roles.activities]]\ntitle = \"{title}\"\ndescription = \"Most days.\"\n\n"
            ));
        }
    }
    std::fs::write(dir.join("roles-scale.toml"), roles).unwrap();
    let questions = format!(
        "[[roles]]\nrole = \"{}\"\nterms = [\"plan\"]\n\n[[roles.questions]]\n\
         kind = \"behavioural\"\ntext = \"Tell me about a week that went wrong.\"\n\n\
         [[roles.questions.points]]\npoint = \"Says what changed\"\nsignals = [\"changed\"]\n",
        role_slug(0)
    );
    std::fs::write(dir.join("questions-scale.toml"), questions).unwrap();
}

fn load_catalogue(data_dir: &Path, database_url: &str, catalogue: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_careerswitch"))
        .args(["load-catalogue", "--dir"])
        .arg(catalogue)
        .env("CAREERSWITCH_DATA_DIR", data_dir)
        .env("CAREERSWITCH_DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run careerswitch load-catalogue")
}

#[tokio::test]
async fn a_catalogue_folder_loads_into_a_new_database_and_is_served_instead_of_the_bundled_one() {
    let folder = tempfile::tempdir().unwrap();
    write_catalogue(folder.path());
    let data_dir = tempfile::tempdir().unwrap();
    let database = crate::helpers::test_database(data_dir.path());
    let database_url = database.0.clone();

    let loaded = load_catalogue(data_dir.path(), &database_url, folder.path());
    let said = String::from_utf8_lossy(&loaded.stdout);
    assert!(
        loaded.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    assert!(
        said.contains("loaded 12 roles, 14 skills and 1 question sets"),
        "{said}"
    );
    let again = load_catalogue(data_dir.path(), &database_url, folder.path());
    assert!(!again.status.success(), "a second catalogue is refused");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has a catalogue"));

    // The app is served from the very database the folder was loaded into.
    let app = spawn_app_on(data_dir, database, &[]).await;
    let (status, roles) = app.get_text("/roles").await;
    assert_eq!(status, 200);
    assert!(
        visible_text(&roles).contains("All 12 roles."),
        "the folder's roles only"
    );
    assert_eq!(
        app.get_text("/roles/cloud-engineer").await.0,
        404,
        "nothing bundled"
    );

    let (status, guide) = app
        .get_text(&format!("/careers/{}-to-{}", role_slug(3), role_slug(8)))
        .await;
    assert_eq!(status, 200);
    let text = visible_text(&guide);
    assert!(text.contains("Scale Role 3 to Scale Role 8"), "{text}");
    assert!(text.contains("Other career changes from Scale Role 3"));

    // A role with questions offers them; one without says so instead of failing.
    let (status, practice) = app.get_text(&format!("/practice/{}", role_slug(0))).await;
    assert_eq!(status, 200);
    assert!(practice.contains("Tell me about a week that went wrong."));
    let (status, practice) = app.get_text(&format!("/practice/{}", role_slug(5))).await;
    assert_eq!(status, 200);
    assert!(
        visible_text(&practice).contains("There are no practice questions for Scale Role 5 yet."),
        "{}",
        visible_text(&practice)
    );
    let surprise = app
        .get(&format!("/practice/{}/surprise", role_slug(5)))
        .await;
    assert_eq!(surprise.status(), 303);
    let landing = surprise.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        landing.starts_with(&format!("/practice/{}", role_slug(5))),
        "{landing}"
    );

    // Static pages, every role and every ordered pair, in one sitemap file.
    let (status, sitemap) = app.get_text("/sitemap.xml").await;
    assert_eq!(status, 200);
    assert_eq!(
        sitemap.matches("<loc>").count(),
        4 + ROLES + ROLES * (ROLES - 1)
    );
    assert!(sitemap.contains(&format!("/careers/{}-to-{}<", role_slug(11), role_slug(0))));
}
