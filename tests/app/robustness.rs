use futures_util::StreamExt;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::helpers::spawn_app;

const PIECES: [&str; 24] = [
    "careers",
    "roles",
    "cloud-engineer",
    "-to-",
    "backend-developer",
    "assets",
    "sitemaps",
    "sitemap.xml",
    "%",
    "%2F",
    "%FF",
    "%00",
    "..",
    "",
    "é",
    "🙂",
    "to",
    "a-to-b",
    "1.xml",
    "0.xml",
    "99999999999999999999.xml",
    "%E2%82",
    "robots.txt",
    "UPPER",
];
const QUERIES: [&str; 10] = [
    "",
    "?q=",
    "?q=%FF",
    "?sector=%00",
    "?from=a&to=a",
    "?from=cloud-engineer&to=",
    "?q=a&q=b",
    "?%",
    "?from[]=x",
    "?q=x&sector=technology&sector=finance",
];

fn random_path(rng: &mut StdRng) -> String {
    let mut path = String::new();
    for _ in 0..rng.random_range(1..5) {
        path.push('/');
        match rng.random_range(0..4) {
            0 => {
                let len = rng.random_range(0..40);
                path.extend(
                    (0..len)
                        .map(|_| rng.random_range(b'!'..=b'~') as char)
                        .filter(|c| !matches!(c, '#' | '?' | '/')),
                );
            }
            1 => path.push_str(&"x".repeat(rng.random_range(0..3000))),
            _ => {
                for _ in 0..rng.random_range(1..4) {
                    path.push_str(PIECES[rng.random_range(0..PIECES.len())]);
                }
            }
        }
    }
    if rng.random_bool(0.2) {
        path.push('/');
    }
    path.push_str(QUERIES[rng.random_range(0..QUERIES.len())]);
    path
}

/// Throws 10,000 random paths and query strings at the server: none may produce a 5xx.
#[tokio::test]
async fn no_path_or_query_string_produces_a_server_error() {
    let app = spawn_app().await;
    let mut rng = StdRng::seed_from_u64(20261128);
    let paths: Vec<String> = (0..10_000).map(|_| random_path(&mut rng)).collect();
    let app = &app;
    let failures: Vec<String> = futures_util::stream::iter(paths)
        .map(|path| async move {
            match app
                .client
                .get(format!("{}{}", app.address, path))
                .send()
                .await
            {
                Ok(resp) if resp.status().is_server_error() => {
                    Some(format!("{} {path}", resp.status()))
                }
                Ok(_) => None,
                // A path the client itself refuses to send is not a server failure.
                Err(e) if e.is_builder() => None,
                Err(e) => Some(format!("{path}: {e}")),
            }
        })
        .buffer_unordered(16)
        .filter_map(|f| async move { f })
        .collect()
        .await;
    assert!(
        failures.is_empty(),
        "{} failures, first: {:?}",
        failures.len(),
        &failures[..failures.len().min(10)]
    );
}
