//! Where the lookup asks IAM (the endpoint order, the region table) and what its errors say.

use std::path::PathBuf;

use super::*;
use crate::request::encode_path_segment;

/// Variables of an environment: `(name, value)`.
type Vars = &'static [(&'static str, &'static str)];

fn env(pairs: Vars) -> impl Fn(&str) -> Option<String> {
    move |name| {
        pairs
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| (*value).to_owned())
    }
}

#[test]
fn the_endpoint_comes_from_the_first_place_that_has_one() {
    let profile_path = PathBuf::from("/home/u/.huaweicloud/credentials");
    // (case, builder setting, environment, profile file value, region, expected endpoint)
    type Case = (
        &'static str,
        Option<&'static str>,
        Vars,
        Option<&'static str>,
        &'static str,
        &'static str,
    );
    let cases: &[Case] = &[
        (
            "the builder wins",
            Some("https://iam.builder.example"),
            &[(ENV_IAM_ENDPOINT, "https://iam.env.example")],
            Some("https://iam.profile.example"),
            "cn-north-4",
            "https://iam.builder.example",
        ),
        (
            "then the environment",
            None,
            &[(ENV_IAM_ENDPOINT, " https://iam.env.example ")],
            Some("https://iam.profile.example"),
            "cn-north-4",
            "https://iam.env.example",
        ),
        (
            "a blank variable is unset",
            None,
            &[(ENV_IAM_ENDPOINT, "  ")],
            Some("https://iam.profile.example"),
            "cn-north-4",
            "https://iam.profile.example",
        ),
        (
            "then the profile file",
            None,
            &[],
            Some("https://iam.profile.example"),
            "cn-north-4",
            "https://iam.profile.example",
        ),
        (
            "then the region's table entry",
            None,
            &[],
            None,
            "cn-north-4",
            "https://iam.cn-north-4.myhuaweicloud.com",
        ),
        (
            "a region missing from the table uses the global endpoint",
            None,
            &[],
            None,
            "cn-south-4",
            "https://iam.myhuaweicloud.com",
        ),
        (
            "an unknown region too",
            None,
            &[],
            None,
            "xx-nowhere-1",
            "https://iam.myhuaweicloud.com",
        ),
        (
            "no scheme is https",
            Some("iam.example.com:8443"),
            &[],
            None,
            "cn-north-4",
            "https://iam.example.com:8443",
        ),
        (
            "plain http when written out",
            None,
            &[(ENV_IAM_ENDPOINT, "http://127.0.0.1:9/base/")],
            None,
            "cn-north-4",
            "http://127.0.0.1:9/base",
        ),
    ];
    for (case, explicit, vars, profile, region, expected) in cases {
        let profile = profile.map(|url| (profile_path.as_path(), url));
        let endpoint = resolve_iam_endpoint(*explicit, env(vars), profile, region)
            .unwrap_or_else(|error| panic!("{case}: {error}"));
        assert_eq!(endpoint.to_string(), *expected, "{case}");
    }
}

#[test]
fn a_bad_url_names_where_it_came_from() {
    let profile_path = PathBuf::from("/home/u/.huaweicloud/credentials");
    let cases: &[(Option<&str>, Vars, Option<&str>, &str)] = &[
        (
            Some("ftp://iam.example"),
            &[],
            None,
            "invalid iam_endpoint: unsupported scheme",
        ),
        (
            None,
            &[(ENV_IAM_ENDPOINT, "https://user:pw@iam.example")],
            None,
            "invalid HUAWEICLOUD_SDK_IAM_ENDPOINT: ",
        ),
        (
            None,
            &[],
            Some("https://iam.example/?q=1"),
            "invalid iam_endpoint: key iam_endpoint of profile file /home/u/.huaweicloud/credentials: ",
        ),
    ];
    for (explicit, vars, profile, expected) in cases {
        let profile = profile.map(|url| (profile_path.as_path(), url));
        let error = resolve_iam_endpoint(*explicit, env(vars), profile, "cn-north-4")
            .expect_err("a bad URL");
        let text = error.to_string();
        assert!(
            text.starts_with(expected),
            "{text:?} should start with {expected:?}"
        );
        assert!(!text.contains("pw"), "{text}");
    }
    assert!(check_iam_endpoint("https://iam.example").is_ok());
    assert!(check_iam_endpoint("").is_err());
}

#[test]
fn the_table_is_the_official_one() {
    assert_eq!(REGION_IAM_ENDPOINTS.len(), 27);
    let mut ids: Vec<&str> = REGION_IAM_ENDPOINTS.iter().map(|(id, _)| *id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 27, "a region is listed twice");
    for (id, endpoint) in REGION_IAM_ENDPOINTS {
        assert_eq!(*endpoint, format!("https://iam.{id}.myhuaweicloud.com"));
        assert_eq!(region_iam_endpoint(id), Some(*endpoint));
    }
}

#[test]
fn the_placeholder_survives_a_path_segment_and_stays_the_same() {
    let token = pending_project_id();
    assert!(token.starts_with("pending-project-id-"));
    assert_eq!(token.len(), "pending-project-id-".len() + 32);
    assert_eq!(
        encode_path_segment("project_id", token).expect("encodes"),
        token
    );
    assert!(std::ptr::eq(token, pending_project_id()));
}

#[test]
fn errors_name_the_region_the_trace_id_and_the_ids() {
    let cases = [
        (
            ProjectIdError::NoProject {
                region: "cn-north-4".into(),
                trace_id: Some("trace-7".into()),
            },
            "no project found through IAM for region \"cn-north-4\" (X-IAM-Trace-Id trace-7): set the project id",
        ),
        (
            ProjectIdError::NoProject {
                region: "cn-north-4".into(),
                trace_id: None,
            },
            "no project found through IAM for region \"cn-north-4\" (X-IAM-Trace-Id -): set the project id",
        ),
        (
            ProjectIdError::SeveralProjects {
                region: "cn-north-4".into(),
                ids: vec!["p1".into(), "p2".into()],
                trace_id: Some("t".into()),
            },
            "2 projects found through IAM for region \"cn-north-4\" (ids p1, p2; X-IAM-Trace-Id t): set the project id to the one meant",
        ),
        (
            ProjectIdError::TokenCredentials {
                region: "ap-southeast-1".into(),
            },
            "project id must be given: IAM-token credentials cannot sign the IAM request that finds it for region \"ap-southeast-1\"",
        ),
    ];
    for (error, expected) in cases {
        assert_eq!(error.to_string(), expected);
    }
    let many = ProjectIdError::SeveralProjects {
        region: "r".into(),
        ids: (0..25).map(|index| format!("p{index}")).collect(),
        trace_id: None,
    }
    .to_string();
    assert!(many.starts_with("25 projects"), "{many}");
    assert!(many.contains("p19 and 5 more;"), "{many}");
    assert!(!many.contains("p20"), "{many}");
}
