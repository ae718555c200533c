/**
 * Micrometer meters for the library's parts, for applications that already report through a
 * {@code MeterRegistry} (Spring Boot's Actuator, a Prometheus or OTLP registry):
 * {@link io.mlops.micrometer.MlopsMeters#bind} binds the prediction server
 * ({@link io.mlops.micrometer.ServerMeters}), the monitor ({@link io.mlops.micrometer.MonitorMeters})
 * and the registry ({@link io.mlops.micrometer.RegistryMeters}); each binder is also a
 * {@code MeterBinder}.
 *
 * <p><b>Names and tags</b> follow Micrometer's conventions: dot-separated names under {@code mlops.},
 * base units (seconds), low-cardinality tags only — endpoint, model, version, status, outcome,
 * feature — never a prediction id or a user. The server's own {@code /metrics} page stays for users
 * without Micrometer.
 *
 * <p><b>Nullness.</b> Nothing in this package returns {@code null}, and no parameter accepts it.
 */
package io.mlops.micrometer;
