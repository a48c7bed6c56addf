//! The CI recipes (`examples/github-actions.yml`, `examples/compose.yaml`) parsed and held
//! against the real binary: the health command the Dockerfile uses, the port it exposes, and
//! environment variable names the CLI reads. A renamed flag or port breaks this, not a user's CI.

use clap::CommandFactory;
use hr_sandbox::cli::Cli;
use serde_json::Value;
use std::collections::BTreeSet;

fn yaml(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every `HR_SANDBOX_*` variable any subcommand reads.
fn cli_env_names() -> BTreeSet<String> {
    let root = Cli::command();
    let mut names = BTreeSet::new();
    let mut commands = vec![root];
    while let Some(command) = commands.pop() {
        for arg in command.get_arguments() {
            if let Some(env) = arg.get_env() {
                names.insert(env.to_string_lossy().into_owned());
            }
        }
        commands.extend(command.get_subcommands().cloned());
    }
    names
}

fn dockerfile() -> String {
    std::fs::read_to_string("Dockerfile").expect("Dockerfile")
}

fn assert_real_env(names: impl IntoIterator<Item = String>, file: &str) {
    let known = cli_env_names();
    for name in names.into_iter().filter(|n| n.starts_with("HR_SANDBOX_")) {
        assert!(known.contains(&name), "{file}: {name} is not a variable hr-sandbox reads (known: {known:?})");
    }
}

#[test]
fn compose_recipe_uses_the_real_health_command_port_variables() {
    let compose = yaml("examples/compose.yaml");
    let sandbox = &compose["services"]["hr-sandbox"];
    let test: Vec<&str> =
        sandbox["healthcheck"]["test"].as_array().expect("test").iter().filter_map(Value::as_str).collect();
    assert_eq!(test, ["CMD", "/hr-sandbox", "healthcheck"]);
    assert!(
        dockerfile().contains(r#"CMD ["/hr-sandbox", "healthcheck"]"#),
        "the image's HEALTHCHECK is the same command"
    );
    assert_eq!(sandbox["ports"][0], "8080:8080");
    assert!(dockerfile().contains("EXPOSE 8080") && dockerfile().contains("HR_SANDBOX_PORT=8080"));
    let env = sandbox["environment"].as_object().expect("environment");
    assert_real_env(env.keys().cloned(), "compose.yaml");
    assert_eq!(compose["services"]["tests"]["depends_on"]["hr-sandbox"]["condition"], "service_healthy");
    let scenario = env["HR_SANDBOX_SCENARIO"].as_str().expect("scenario");
    assert!(std::path::Path::new(&format!("scenarios/{scenario}.yaml")).exists(), "a shipped scenario");
}

#[test]
fn the_github_actions_recipe_runs_the_built_image_as_a_health_checked_service() {
    let workflow = yaml("examples/github-actions.yml");
    let build = workflow["jobs"]["image"]["steps"].as_array().expect("steps");
    assert!(build.iter().any(|s| s["run"].as_str().is_some_and(|r| r.contains("docker build -t \"$IMAGE\" ."))));
    let image = workflow["env"]["IMAGE"].as_str().expect("image");
    let service = &workflow["jobs"]["integration"]["services"]["hr-sandbox"];
    assert_eq!(service["image"].as_str(), Some(image), "the service runs the image the first job pushed");
    assert_eq!(workflow["jobs"]["integration"]["needs"], "image");
    assert_eq!(service["ports"][0], "8080:8080");
    let options = service["options"].as_str().expect("options");
    assert!(options.contains(r#"--health-cmd "/hr-sandbox healthcheck""#), "{options}");
    assert_real_env(service["env"].as_object().expect("env").keys().cloned(), "github-actions.yml");
}

#[test]
fn the_documented_recipes_wait_on_the_health_route_the_server_has() {
    let page = std::fs::read_to_string("docs/docker-and-ci.md").expect("docs/docker-and-ci.md");
    for needle in ["Testcontainers (Python)", "Testcontainers (Java)", "Testcontainers (Node)", "/__admin/health"] {
        assert!(page.contains(needle), "docs/docker-and-ci.md lacks {needle}");
    }
}

#[test]
fn the_docker_recipes_give_the_admin_api_a_token() {
    // The image answers any Host, so only a token keeps a DNS-rebinding page from its reads.
    let compose = yaml("examples/compose.yaml");
    assert!(compose["services"]["hr-sandbox"]["environment"]["HR_SANDBOX_ADMIN_TOKEN"].is_string());
    let workflow = yaml("examples/github-actions.yml");
    assert!(workflow["jobs"]["integration"]["services"]["hr-sandbox"]["env"]["HR_SANDBOX_ADMIN_TOKEN"].is_string());
    // The README's one-liner and the Docker page's recipes alike.
    for file in ["README.md", "docs/docker-and-ci.md"] {
        let text = std::fs::read_to_string(file).expect(file);
        let runs: Vec<&str> = text.lines().filter(|l| l.starts_with("docker run ")).collect();
        assert!(!runs.is_empty() && runs.iter().all(|l| l.contains("HR_SANDBOX_ADMIN_TOKEN")), "{file}: {runs:?}");
    }
    let page = std::fs::read_to_string("docs/docker-and-ci.md").expect("docs/docker-and-ci.md");
    assert!(page.contains("Authorization: Bearer $HR_SANDBOX_ADMIN_TOKEN"));
}
