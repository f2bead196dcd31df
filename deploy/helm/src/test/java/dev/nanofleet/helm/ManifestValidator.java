package dev.nanofleet.helm;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks rendered manifests offline. Kinds of the Kubernetes API (and the Prometheus operator's ServiceMonitor) are
 * read into fabric8's model, generated from the Kubernetes OpenAPI schemas, and Strimzi's resources into Strimzi's own
 * model (io.strimzi:api, from which its CRDs are generated), with every unknown field and every scalar of the wrong
 * type failing: the models' catch-all for unknown fields is switched off. CloudNativePG's Cluster and the Keycloak
 * operator's Keycloak have no model on Maven Central: for them only apiVersion, kind, the name and the fields their
 * CRDs require are checked. Every kind also gets the checks the models do not make (names, labels, required fields).
 */
final class ManifestValidator {

    /** The built-in kinds this chart may render, by apiVersion/kind, with the model class that holds their schema. */
    private static final Map<String, Class<?>> MODELS = Map.of(
            "apps/v1/Deployment", Deployment.class,
            "v1/Service", Service.class,
            "v1/Secret", Secret.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class,
            "kafka.strimzi.io/v1beta2/Kafka", Kafka.class,
            "kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class,
            "kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class);

    /** Fields required by the schema of each kind (JSON pointers): the models do not enforce "required". */
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "apps/v1/Deployment", List.of("/spec/selector/matchLabels", "/spec/template/metadata/labels",
                    "/spec/template/spec/containers/0/name", "/spec/template/spec/containers/0/image"),
            "v1/Service", List.of("/spec/ports/0/port"),
            "policy/v1/PodDisruptionBudget", List.of("/spec/selector/matchLabels"),
            "networking.k8s.io/v1/Ingress", List.of("/spec/rules/0/http/paths/0/pathType",
                    "/spec/rules/0/http/paths/0/backend/service/name"),
            "monitoring.coreos.com/v1/ServiceMonitor", List.of("/spec/selector", "/spec/endpoints/0/port"),
            // the operators' CRDs (Strimzi 0.46+, CloudNativePG 1.2x, Keycloak operator 26): required by their schemas
            "kafka.strimzi.io/v1beta2/Kafka", List.of("/spec/kafka/listeners/0/name", "/spec/kafka/listeners/0/port",
                    "/spec/kafka/listeners/0/type", "/spec/kafka/listeners/0/tls"),
            "kafka.strimzi.io/v1beta2/KafkaNodePool", List.of("/spec/replicas", "/spec/roles/0", "/spec/storage/type",
                    "/metadata/labels/strimzi.io~1cluster"),
            "kafka.strimzi.io/v1beta2/KafkaTopic", List.of("/spec/partitions", "/spec/replicas",
                    "/metadata/labels/strimzi.io~1cluster"),
            "postgresql.cnpg.io/v1/Cluster", List.of("/spec/instances", "/spec/storage/size"),
            "k8s.keycloak.org/v2alpha1/Keycloak", List.of("/spec/db/vendor", "/spec/hostname/hostname"));

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    private final ObjectMapper strict = JsonMapper.builder()
            .annotationIntrospector(new WithoutCatchAll())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    /** What is wrong with one manifest; empty when nothing is. */
    List<String> problems(JsonNode manifest) {
        String kind = manifest.path("kind").asText();
        String type = manifest.path("apiVersion").asText() + "/" + kind;
        String name = manifest.path("metadata").path("name").asText();
        String where = type + " " + name + ": ";
        List<String> problems = new ArrayList<>();
        if (!MODELS.containsKey(type) && !REQUIRED.containsKey(type)) {
            problems.add(where + "not a kind this chart is known to render (wrong apiVersion?)");
            return problems;
        }
        if (name.isEmpty() || name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            problems.add(where + "metadata.name is not a DNS subdomain");
        }
        if (("Service".equals(kind) || "Deployment".equals(kind)) && name.length() > 63) {
            problems.add(where + "a " + kind + " name may have at most 63 characters");
        }
        manifest.path("metadata").path("labels").properties().forEach(label -> {
            String value = label.getValue().asText();
            if (!label.getValue().isTextual() || value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
                problems.add(where + "label " + label.getKey() + " has an invalid value '" + value + "'");
            }
        });
        for (String pointer : REQUIRED.getOrDefault(type, List.of())) {
            if (manifest.at(pointer).isMissingNode() || manifest.at(pointer).isNull()) {
                problems.add(where + "required field " + pointer + " is missing");
            }
        }
        Class<?> model = MODELS.get(type);
        if (model != null) {
            try {
                strict.treeToValue(manifest, model);
            } catch (Exception e) {
                problems.add(where + "does not fit the schema: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        return problems;
    }

    /** fabric8's models take unknown fields into additionalProperties; a schema check must refuse them instead. */
    private static final class WithoutCatchAll extends JacksonAnnotationIntrospector {
        @Override
        public Boolean hasAnySetter(Annotated annotated) {
            return Boolean.FALSE;
        }
    }
}
