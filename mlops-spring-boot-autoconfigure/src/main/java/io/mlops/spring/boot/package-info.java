/**
 * Spring Boot 4 auto-configuration of the library ({@code io.mlops:mlops-spring-boot-starter}): the
 * model registry, data versioning and monitor from {@code mlops.*} properties
 * ({@link io.mlops.spring.boot.MlopsProperties}) — on the file system, on the application's own
 * {@code DataSource}, with artifacts on S3 — their Micrometer meters, an Actuator health indicator
 * and the {@code mlops} Actuator endpoint. Beans the application defines win over these.
 */
package io.mlops.spring.boot;
