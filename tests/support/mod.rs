pub mod fake_github;
