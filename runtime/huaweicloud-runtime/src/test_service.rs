//! A service of the unit tests' own, standing in for a generated crate's `SERVICE` (the runtime
//! holds no service's facts): `Client::builder()` and a region constant, as generated code has.

use crate::{Client, ClientBuilder, Region, ServiceInfo};

/// Shaped like a real service: a user-agent product with a version, regions on the
/// `<service>.<region>.myhuaweicloud.com` pattern.
pub(crate) static SERVICE: ServiceInfo = ServiceInfo::new(
    "HSS",
    concat!("hss-client-rust/", env!("CARGO_PKG_VERSION")),
    &[
        Region::CN_NORTH_4,
        Region::AP_SOUTHEAST_1,
        Region::EU_WEST_101,
    ],
);

impl Region {
    pub(crate) const CN_NORTH_4: Region =
        Region::new("cn-north-4", "https://hss.cn-north-4.myhuaweicloud.com");
    pub(crate) const AP_SOUTHEAST_1: Region = Region::new(
        "ap-southeast-1",
        "https://hss.ap-southeast-1.myhuaweicloud.com",
    );
    /// A region whose endpoint is on another domain, as HSS's `eu-west-101` is.
    pub(crate) const EU_WEST_101: Region =
        Region::new("eu-west-101", "https://hss.eu-west-101.myhuaweicloud.eu");
}

impl Client {
    pub(crate) fn builder() -> ClientBuilder {
        ClientBuilder::for_service(&SERVICE)
    }
}
