package io.mlops.spring.boot;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * A plain Spring Boot application: the starter's beans come from auto-configuration alone (no
 * component scan, so the other tests' configurations stay out).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TestApplication {
}
