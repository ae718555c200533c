package io.mlops.spring.boot;

import io.mlops.registry.ModelRegistry;
import io.mlops.registry.ModelVersion;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code mlops} Actuator endpoint ({@code GET /actuator/mlops}, once exposed with
 * {@code management.endpoints.web.exposure.include=mlops}): every model with its versions' count,
 * latest version and aliases; {@code /actuator/mlops/{model}} one model's versions and aliases.
 * Read-only.
 *
 * @since 0.1.0
 */
@Endpoint(id = "mlops")
public class MlopsEndpoint {

    private final ModelRegistry registry;

    /** @param registry the registry */
    public MlopsEndpoint(ModelRegistry registry) {
        this.registry = registry;
    }

    /** @return the models */
    @ReadOperation
    public Map<String, Object> models() {
        Map<String, Object> models = new LinkedHashMap<>();
        for (String name : registry.models()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("versions", registry.versions(name).size());
            m.put("latest", registry.latest(name).map(ModelVersion::version).orElse(null));
            m.put("aliases", registry.aliases(name));
            models.put(name, m);
        }
        return Map.of("models", models);
    }

    /**
     * @param model a model's name
     * @return its versions and aliases; {@code null} (Actuator's 404) for an unknown model or a name
     *     the registry would refuse
     */
    @ReadOperation
    public Map<String, Object> model(@Selector String model) {
        List<ModelVersion> found;
        try {
            found = registry.versions(model);
        } catch (io.mlops.core.ValidationException e) {
            return null; // not a model name: nothing by that name
        }
        if (found.isEmpty()) {
            return null;
        }
        List<Map<String, Object>> versions = found.stream().map(v -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", v.version());
            m.put("sha256", v.sha256());
            m.put("registered_at", v.registeredAt().toString());
            m.put("tags", v.tags());
            return m;
        }).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", model);
        out.put("aliases", registry.aliases(model));
        out.put("versions", versions);
        return out;
    }
}
