package dev.nanofleet.controlapi.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanofleet.controlapi.deployment.DeploymentView;
import dev.nanofleet.controlapi.node.NodeState;
import dev.nanofleet.controlapi.node.NodeView;
import dev.nanofleet.events.InstanceState;
import dev.nanofleet.events.NodeScheduling;
import dev.nanofleet.nodeapi.DesiredState;
import dev.nanofleet.nodeapi.RestartPolicy;
import java.util.Arrays;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.junit.jupiter.api.Test;

class EnumNamesTest {

    @Test
    void a_constant_is_written_in_lower_case_with_its_words_joined_by_a_hyphen() {
        assertThat(EnumNames.json(InstanceState.RUNNING)).isEqualTo("running");
        assertThat(EnumNames.json(NodeState.NOT_READY)).isEqualTo("not-ready");
        assertThat(EnumNames.json(RestartPolicy.Mode.ON_FAILURE)).isEqualTo("on-failure");
        assertThat(EnumNames.json(null)).isNull();
    }

    // the views hold these as strings, so the document's enumerations are written by hand; a constant added to an
    // enum must appear in the document too
    @Test
    void every_string_enum_field_of_the_tenant_views_documents_each_constant_as_the_view_writes_it() throws Exception {
        assertDocuments(DeploymentView.InstanceView.class, "state", InstanceState.class);
        assertDocuments(DeploymentView.InstanceView.class, "desiredState", DesiredState.class);
        assertDocuments(NodeView.class, "state", NodeState.class);
        assertDocuments(NodeView.class, "scheduling", NodeScheduling.class);
    }

    private static void assertDocuments(Class<?> view, String field, Class<? extends Enum<?>> values)
            throws NoSuchFieldException {
        Schema schema = view.getDeclaredField(field).getAnnotation(Schema.class);
        assertThat(schema).as(view.getSimpleName() + "." + field).isNotNull();
        assertThat(schema.enumeration()).as(view.getSimpleName() + "." + field)
                .containsExactly(Arrays.stream(values.getEnumConstants()).map(EnumNames::json).toArray(String[]::new));
    }
}
