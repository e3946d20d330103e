pub mod fake_github;
pub mod run;
