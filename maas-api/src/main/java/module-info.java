/**
 * maas4j's public model and service-provider interfaces: API keys, the catalog (models,
 * subscriptions, auth policies), usage, the stores' SPIs and the engine's results. Depends on
 * nothing outside the JDK.
 */
module dev.maas4j.api {
    exports dev.maas4j.api;
}
