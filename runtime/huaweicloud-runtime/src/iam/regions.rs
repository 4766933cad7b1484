//! The IAM endpoint of each region that has its own, as the official SDKs list them. A fact of
//! IAM, which every Huawei Cloud service shares, so it lives in the runtime (unlike the regions
//! of a service, which come from its spec). Regions missing here use the global endpoint.

/// `(region id, IAM endpoint)`, in the official SDKs' order (27 regions).
pub const REGION_IAM_ENDPOINTS: &[(&str, &str)] = &[
    ("cn-north-2", "https://iam.cn-north-2.myhuaweicloud.com"),
    ("cn-north-4", "https://iam.cn-north-4.myhuaweicloud.com"),
    ("cn-north-1", "https://iam.cn-north-1.myhuaweicloud.com"),
    ("cn-east-2", "https://iam.cn-east-2.myhuaweicloud.com"),
    ("cn-east-3", "https://iam.cn-east-3.myhuaweicloud.com"),
    ("cn-south-1", "https://iam.cn-south-1.myhuaweicloud.com"),
    ("cn-south-2", "https://iam.cn-south-2.myhuaweicloud.com"),
    (
        "cn-southwest-2",
        "https://iam.cn-southwest-2.myhuaweicloud.com",
    ),
    (
        "ap-southeast-1",
        "https://iam.ap-southeast-1.myhuaweicloud.com",
    ),
    (
        "ap-southeast-2",
        "https://iam.ap-southeast-2.myhuaweicloud.com",
    ),
    (
        "ap-southeast-3",
        "https://iam.ap-southeast-3.myhuaweicloud.com",
    ),
    ("af-south-1", "https://iam.af-south-1.myhuaweicloud.com"),
    ("sa-brazil-1", "https://iam.sa-brazil-1.myhuaweicloud.com"),
    ("la-south-2", "https://iam.la-south-2.myhuaweicloud.com"),
    ("na-mexico-1", "https://iam.na-mexico-1.myhuaweicloud.com"),
    ("la-north-2", "https://iam.la-north-2.myhuaweicloud.com"),
    ("cn-north-9", "https://iam.cn-north-9.myhuaweicloud.com"),
    ("eu-west-0", "https://iam.eu-west-0.myhuaweicloud.com"),
    (
        "my-kualalumpur-1",
        "https://iam.my-kualalumpur-1.myhuaweicloud.com",
    ),
    ("ru-moscow-1", "https://iam.ru-moscow-1.myhuaweicloud.com"),
    ("me-east-1", "https://iam.me-east-1.myhuaweicloud.com"),
    (
        "ap-southeast-4",
        "https://iam.ap-southeast-4.myhuaweicloud.com",
    ),
    ("ae-ad-1", "https://iam.ae-ad-1.myhuaweicloud.com"),
    ("cn-east-4", "https://iam.cn-east-4.myhuaweicloud.com"),
    ("cn-east-5", "https://iam.cn-east-5.myhuaweicloud.com"),
    ("tr-west-1", "https://iam.tr-west-1.myhuaweicloud.com"),
    ("cn-north-12", "https://iam.cn-north-12.myhuaweicloud.com"),
];

/// The IAM endpoint of `region_id` from the table (exact id), if it has one.
pub fn region_iam_endpoint(region_id: &str) -> Option<&'static str> {
    REGION_IAM_ENDPOINTS
        .iter()
        .find(|(id, _)| *id == region_id)
        .map(|(_, endpoint)| *endpoint)
}
